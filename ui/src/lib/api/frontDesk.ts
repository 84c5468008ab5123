// The front desk's other commands: clinicians and each clinician's day, booking and the
// appointment's status, disclosures, amendment requests, emergency access and the chart, and
// the practice's date order. Like commands.ts, each resolves with the command's value or
// rejects with a CommandError.
import type {
  AmendmentRequestFormView,
  AmendmentRequestView,
  AppointmentStatus,
  AppointmentView,
  ClinicianDayView,
  DisclosureFormView,
  DisclosureView,
  EmergencyAccessView,
  NewAppointmentView,
  OpenedChartView,
  StaffChoiceView,
} from '../../generated/bindings';
import { call } from './commands';

/** "dmy" (07/03/1984 is the 7th of March) or "mdy". */
export type DateOrder = 'dmy' | 'mdy';

export function clinicians(): Promise<StaffChoiceView[]> {
  return call<StaffChoiceView[]>('clinicians');
}

/** Each clinician's appointments from `from` (inclusive) to `to` (exclusive), RFC 3339. */
export function daySchedule(from: string, to: string): Promise<ClinicianDayView[]> {
  return call<ClinicianDayView[]>('day_schedule', { from, to });
}

/** Rejects with `needs_confirmation` on an overlap unless `acceptOverlap`. */
export function bookAppointment(appointment: NewAppointmentView, acceptOverlap: boolean): Promise<AppointmentView> {
  return call<AppointmentView>('book_appointment', { appointment, acceptOverlap });
}

/** An appointment from now, already checked in. */
export function registerWalkIn(
  patientId: string,
  clinicianId: string,
  minutes: number,
  reason: string,
): Promise<AppointmentView> {
  return call<AppointmentView>('register_walk_in', { patientId, clinicianId, minutes, reason });
}

/** Moves a booked appointment; rejects with `needs_confirmation` on an overlap unless accepted. */
export function rescheduleAppointment(
  appointmentId: string,
  startsAt: string,
  minutes: number,
  clinicianId: string,
  acceptOverlap: boolean,
): Promise<AppointmentView> {
  return call<AppointmentView>('reschedule_appointment', { appointmentId, startsAt, minutes, clinicianId, acceptOverlap });
}

/** `cancelReason` is needed only to cancel. */
export function setAppointmentStatus(
  appointmentId: string,
  status: AppointmentStatus,
  cancelReason: string | null,
): Promise<AppointmentView> {
  return call<AppointmentView>('set_appointment_status', { appointmentId, status, cancelReason });
}

export function patientAppointments(patientId: string): Promise<AppointmentView[]> {
  return call<AppointmentView[]>('patient_appointments', { patientId });
}

export function recordDisclosure(patientId: string, disclosure: DisclosureFormView): Promise<DisclosureView> {
  return call<DisclosureView>('record_disclosure', { patientId, disclosure });
}

/** A new entry naming the one it corrects and why; the original stays as it was. */
export function correctDisclosure(
  disclosureId: string,
  disclosure: DisclosureFormView,
  reason: string,
): Promise<DisclosureView> {
  return call<DisclosureView>('correct_disclosure', { disclosureId, disclosure, reason });
}

export function patientDisclosures(patientId: string): Promise<DisclosureView[]> {
  return call<DisclosureView[]>('patient_disclosures', { patientId });
}

export function recordAmendmentRequest(
  patientId: string,
  request: AmendmentRequestFormView,
): Promise<AmendmentRequestView> {
  return call<AmendmentRequestView>('record_amendment_request', { patientId, request });
}

export function decideAmendmentRequest(requestId: string, accepted: boolean, reason: string): Promise<AmendmentRequestView> {
  return call<AmendmentRequestView>('decide_amendment_request', { requestId, accepted, reason });
}

export function patientAmendmentRequests(patientId: string): Promise<AmendmentRequestView[]> {
  return call<AmendmentRequestView[]>('patient_amendment_requests', { patientId });
}

/** Break-glass access to one patient's chart for a limited time, with the reason typed. */
export function requestEmergencyAccess(patientId: string, reason: string): Promise<EmergencyAccessView> {
  return call<EmergencyAccessView>('request_emergency_access', { patientId, reason });
}

/** Rejects with `forbidden` for users who may not read charts and hold no emergency access. */
export function openChart(patientId: string): Promise<OpenedChartView> {
  return call<OpenedChartView>('open_chart', { patientId });
}

export async function dateOrder(): Promise<DateOrder> {
  return (await call<string>('date_order')) === 'mdy' ? 'mdy' : 'dmy';
}
