//! The checks of each resource type the export writes: Patient, AllergyIntolerance,
//! MedicationStatement, Condition, Encounter and DocumentReference.

use serde_json::Value;

use super::*;

impl Checker {
    pub(super) fn patient(&mut self, at: &str, resource: &Value) {
        let allowed = [
            "resourceType",
            "id",
            "identifier",
            "name",
            "telecom",
            "gender",
            "birthDate",
            "deceasedDateTime",
            "address",
            "contact",
        ];
        let Some(fields) = self.resource(at, resource, &allowed, &[]) else { return };
        for (index, identifier) in self.array(&format!("{at}.identifier"), fields.get("identifier")).iter().enumerate()
        {
            let at = format!("{at}.identifier[{index}]");
            let Some(identifier) = self.object(&at, identifier, &["use", "type", "system", "value"], &[]) else {
                continue;
            };
            self.code_in(
                &format!("{at}.use"),
                identifier.get("use"),
                &["usual", "official", "temp", "secondary", "old"],
            );
            self.concept(&format!("{at}.type"), identifier.get("type"));
            self.primitive(&format!("{at}.system"), identifier.get("system"), "uri", is_uri);
            self.string(&format!("{at}.value"), identifier.get("value"));
        }
        for (index, name) in self.array(&format!("{at}.name"), fields.get("name")).iter().enumerate() {
            let at = format!("{at}.name[{index}]");
            let Some(name) = self.object(&at, name, &["use", "family", "given"], &[]) else { continue };
            let uses = ["usual", "official", "temp", "nickname", "anonymous", "old", "maiden"];
            self.code_in(&format!("{at}.use"), name.get("use"), &uses);
            self.string(&format!("{at}.family"), name.get("family"));
            for (index, given) in self.array(&format!("{at}.given"), name.get("given")).iter().enumerate() {
                self.string(&format!("{at}.given[{index}]"), Some(given));
            }
        }
        for (index, telecom) in self.array(&format!("{at}.telecom"), fields.get("telecom")).iter().enumerate() {
            self.contact_point(&format!("{at}.telecom[{index}]"), telecom);
        }
        self.code_in(&format!("{at}.gender"), fields.get("gender"), &["male", "female", "other", "unknown"]);
        self.primitive(&format!("{at}.birthDate"), fields.get("birthDate"), "date", is_date);
        self.primitive(&format!("{at}.deceasedDateTime"), fields.get("deceasedDateTime"), "dateTime", is_date_time);
        for (index, address) in self.array(&format!("{at}.address"), fields.get("address")).iter().enumerate() {
            let at = format!("{at}.address[{index}]");
            let allowed = ["use", "line", "city", "state", "postalCode", "country"];
            let Some(address) = self.object(&at, address, &allowed, &[]) else { continue };
            self.code_in(&format!("{at}.use"), address.get("use"), &["home", "work", "temp", "old", "billing"]);
            for (index, line) in self.array(&format!("{at}.line"), address.get("line")).iter().enumerate() {
                self.string(&format!("{at}.line[{index}]"), Some(line));
            }
            for key in ["city", "state", "postalCode", "country"] {
                self.string(&format!("{at}.{key}"), address.get(key));
            }
        }
        for (index, contact) in self.array(&format!("{at}.contact"), fields.get("contact")).iter().enumerate() {
            let at = format!("{at}.contact[{index}]");
            let Some(contact) = self.object(&at, contact, &["relationship", "name", "telecom"], &[]) else { continue };
            for (index, relationship) in
                self.array(&format!("{at}.relationship"), contact.get("relationship")).iter().enumerate()
            {
                self.concept(&format!("{at}.relationship[{index}]"), Some(relationship));
            }
            if let Some(name) = contact.get("name")
                && let Some(name) = self.object(&format!("{at}.name"), name, &["text"], &["text"])
            {
                self.string(&format!("{at}.name.text"), name.get("text"));
            }
            for (index, telecom) in self.array(&format!("{at}.telecom"), contact.get("telecom")).iter().enumerate() {
                self.contact_point(&format!("{at}.telecom[{index}]"), telecom);
            }
            if !contact.contains_key("name") && !contact.contains_key("telecom") {
                self.problem(&at, "pat-1: a contact without details");
            }
        }
    }

    pub(super) fn allergy(&mut self, at: &str, resource: &Value) {
        let allowed = [
            "resourceType",
            "id",
            "clinicalStatus",
            "verificationStatus",
            "code",
            "patient",
            "recordedDate",
            "reaction",
        ];
        let Some(fields) = self.resource(at, resource, &allowed, &["patient"]) else { return };
        let clinical = self.status_concept(
            &format!("{at}.clinicalStatus"),
            fields.get("clinicalStatus"),
            ALLERGY_CLINICAL,
            &["active", "inactive", "resolved"],
        );
        let verification = self.status_concept(
            &format!("{at}.verificationStatus"),
            fields.get("verificationStatus"),
            ALLERGY_VERIFICATION,
            &["unconfirmed", "confirmed", "refuted", "entered-in-error"],
        );
        let entered_in_error = verification.as_deref() == Some("entered-in-error");
        if clinical.is_none() && !entered_in_error {
            self.problem(at, "ait-1: no clinicalStatus");
        }
        if clinical.is_some() && entered_in_error {
            self.problem(at, "ait-2: a clinicalStatus on an entry in error");
        }
        self.concept(&format!("{at}.code"), fields.get("code"));
        self.reference(&format!("{at}.patient"), fields.get("patient"), "Patient");
        self.primitive(&format!("{at}.recordedDate"), fields.get("recordedDate"), "dateTime", is_date_time);
        for (index, reaction) in self.array(&format!("{at}.reaction"), fields.get("reaction")).iter().enumerate() {
            let at = format!("{at}.reaction[{index}]");
            let Some(reaction) = self.object(&at, reaction, &["manifestation", "severity"], &["manifestation"]) else {
                continue;
            };
            for (index, manifestation) in
                self.array(&format!("{at}.manifestation"), reaction.get("manifestation")).iter().enumerate()
            {
                self.concept(&format!("{at}.manifestation[{index}]"), Some(manifestation));
            }
            self.code_in(&format!("{at}.severity"), reaction.get("severity"), &["mild", "moderate", "severe"]);
        }
    }

    pub(super) fn period(&mut self, at: &str, value: Option<&Value>) {
        let Some(value) = value else { return };
        let Some(fields) = self.object(at, value, &["start", "end"], &[]) else { return };
        let start = self.primitive(&format!("{at}.start"), fields.get("start"), "dateTime", is_date_time);
        let end = self.primitive(&format!("{at}.end"), fields.get("end"), "dateTime", is_date_time);
        if let (Some(start), Some(end)) = (start, end)
            && start.len() == end.len()
            && start > end
        {
            self.problem(at, "per-1: the start is after the end");
        }
    }

    pub(super) fn medication(&mut self, at: &str, resource: &Value) {
        let allowed = [
            "resourceType",
            "id",
            "status",
            "medicationCodeableConcept",
            "subject",
            "effectivePeriod",
            "dateAsserted",
            "dosage",
        ];
        let required = ["status", "medicationCodeableConcept", "subject"];
        let Some(fields) = self.resource(at, resource, &allowed, &required) else { return };
        let statuses =
            ["active", "completed", "entered-in-error", "intended", "stopped", "on-hold", "unknown", "not-taken"];
        self.code_in(&format!("{at}.status"), fields.get("status"), &statuses);
        self.concept(&format!("{at}.medicationCodeableConcept"), fields.get("medicationCodeableConcept"));
        self.reference(&format!("{at}.subject"), fields.get("subject"), "Patient");
        self.period(&format!("{at}.effectivePeriod"), fields.get("effectivePeriod"));
        self.primitive(&format!("{at}.dateAsserted"), fields.get("dateAsserted"), "dateTime", is_date_time);
        for (index, dosage) in self.array(&format!("{at}.dosage"), fields.get("dosage")).iter().enumerate() {
            let at = format!("{at}.dosage[{index}]");
            let Some(dosage) = self.object(&at, dosage, &["text", "route"], &[]) else { continue };
            self.string(&format!("{at}.text"), dosage.get("text"));
            self.concept(&format!("{at}.route"), dosage.get("route"));
        }
    }

    pub(super) fn condition(&mut self, at: &str, resource: &Value) {
        let allowed = [
            "resourceType",
            "id",
            "clinicalStatus",
            "verificationStatus",
            "category",
            "code",
            "subject",
            "onsetDateTime",
            "recordedDate",
        ];
        let Some(fields) = self.resource(at, resource, &allowed, &["subject"]) else { return };
        let clinical = self.status_concept(
            &format!("{at}.clinicalStatus"),
            fields.get("clinicalStatus"),
            CONDITION_CLINICAL,
            &["active", "recurrence", "relapse", "inactive", "remission", "resolved"],
        );
        let verification = self.status_concept(
            &format!("{at}.verificationStatus"),
            fields.get("verificationStatus"),
            CONDITION_VERIFICATION,
            &["unconfirmed", "provisional", "differential", "confirmed", "refuted", "entered-in-error"],
        );
        let entered_in_error = verification.as_deref() == Some("entered-in-error");
        let mut problem_list_item = false;
        for (index, category) in self.array(&format!("{at}.category"), fields.get("category")).iter().enumerate() {
            let codings = self.concept(&format!("{at}.category[{index}]"), Some(category));
            problem_list_item |= codings.iter().any(|(_, code)| code.as_deref() == Some("problem-list-item"));
        }
        if clinical.is_none() && !entered_in_error && problem_list_item {
            self.problem(at, "con-3: a problem-list item without a clinicalStatus");
        }
        if clinical.is_some() && entered_in_error {
            self.problem(at, "con-5: a clinicalStatus on an entry in error");
        }
        self.concept(&format!("{at}.code"), fields.get("code"));
        self.reference(&format!("{at}.subject"), fields.get("subject"), "Patient");
        self.primitive(&format!("{at}.onsetDateTime"), fields.get("onsetDateTime"), "dateTime", is_date_time);
        self.primitive(&format!("{at}.recordedDate"), fields.get("recordedDate"), "dateTime", is_date_time);
    }

    pub(super) fn encounter(&mut self, at: &str, resource: &Value) {
        let allowed = ["resourceType", "id", "status", "class", "type", "subject", "period"];
        let Some(fields) = self.resource(at, resource, &allowed, &["status", "class"]) else { return };
        let statuses = [
            "planned",
            "arrived",
            "triaged",
            "in-progress",
            "onleave",
            "finished",
            "cancelled",
            "entered-in-error",
            "unknown",
        ];
        self.code_in(&format!("{at}.status"), fields.get("status"), &statuses);
        if let Some(class) = fields.get("class") {
            self.coding(&format!("{at}.class"), class);
        }
        for (index, kind) in self.array(&format!("{at}.type"), fields.get("type")).iter().enumerate() {
            self.concept(&format!("{at}.type[{index}]"), Some(kind));
        }
        self.reference(&format!("{at}.subject"), fields.get("subject"), "Patient");
        self.period(&format!("{at}.period"), fields.get("period"));
    }

    pub(super) fn document(&mut self, at: &str, resource: &Value) {
        let allowed = ["resourceType", "id", "status", "docStatus", "type", "subject", "date", "content", "context"];
        let Some(fields) = self.resource(at, resource, &allowed, &["status", "content"]) else { return };
        self.code_in(&format!("{at}.status"), fields.get("status"), &["current", "superseded", "entered-in-error"]);
        let doc_statuses = ["preliminary", "final", "amended", "entered-in-error"];
        self.code_in(&format!("{at}.docStatus"), fields.get("docStatus"), &doc_statuses);
        self.concept(&format!("{at}.type"), fields.get("type"));
        self.reference(&format!("{at}.subject"), fields.get("subject"), "Patient");
        self.primitive(&format!("{at}.date"), fields.get("date"), "instant", is_instant);
        for (index, content) in self.array(&format!("{at}.content"), fields.get("content")).iter().enumerate() {
            let at = format!("{at}.content[{index}]");
            let Some(content) = self.object(&at, content, &["attachment"], &["attachment"]) else { continue };
            let Some(attachment) = content.get("attachment") else { continue };
            let at = format!("{at}.attachment");
            let Some(attachment) = self.object(&at, attachment, &["contentType", "title", "data"], &[]) else {
                continue;
            };
            self.primitive(&format!("{at}.contentType"), attachment.get("contentType"), "code", is_code);
            self.string(&format!("{at}.title"), attachment.get("title"));
            let is_base64 = |text: &str| base64::engine::general_purpose::STANDARD.decode(text).is_ok();
            self.primitive(&format!("{at}.data"), attachment.get("data"), "base64Binary", is_base64);
            if attachment.contains_key("data") && !attachment.contains_key("contentType") {
                self.problem(&at, "att-1: data without a contentType");
            }
        }
        if let Some(context) = fields.get("context")
            && let Some(context) = self.object(&format!("{at}.context"), context, &["encounter"], &[])
        {
            for (index, encounter) in
                self.array(&format!("{at}.context.encounter"), context.get("encounter")).iter().enumerate()
            {
                self.reference(&format!("{at}.context.encounter[{index}]"), Some(encounter), "Encounter");
            }
        }
    }
}
