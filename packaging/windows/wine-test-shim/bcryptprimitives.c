/* For test runs under Wine 8 only; never shipped in the installer.
 *
 * Current Rust std imports ProcessPrng from bcryptprimitives.dll, which Windows 10 and 11 have
 * and Wine 8 lacks, so a Windows test executable would not load under Wine (c0000135). This
 * stand-in answers the call with RtlGenRandom (advapi32's SystemFunction036), the system's own
 * random generator. */
#include <windows.h>

#define RtlGenRandom SystemFunction036
BOOLEAN NTAPI RtlGenRandom(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!RtlGenRandom(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
