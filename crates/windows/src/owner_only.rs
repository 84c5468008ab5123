//! Files and folders only their owner may open: the Windows equivalent of modes 0600 and 0700.
//!
//! The object gets a *protected* DACL (nothing inherited from the folder above) with one entry:
//! full control for the user this process runs as. A folder's entry is inherited by everything
//! created in it later, so new files are the owner's alone without further calls. As with root
//! on Unix, an administrator can still take ownership and read them; the vault's encryption is
//! what protects the data from that.

use std::ffi::c_void;
use std::io;
use std::path::Path;
use std::ptr::{null, null_mut};

use windows_sys::Win32::Foundation::{CloseHandle, HANDLE, LocalFree};
use windows_sys::Win32::Security::Authorization::{
    ConvertSidToStringSidW, GetNamedSecurityInfoW, SE_FILE_OBJECT, SetNamedSecurityInfoW,
};
use windows_sys::Win32::Security::{
    ACCESS_ALLOWED_ACE, ACE_HEADER, ACL, ACL_REVISION, AddAccessAllowedAceEx, CONTAINER_INHERIT_ACE,
    DACL_SECURITY_INFORMATION, GetAce, GetLengthSid, GetSecurityDescriptorControl, GetTokenInformation, InitializeAcl,
    OBJECT_INHERIT_ACE, PROTECTED_DACL_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR, PSID, SE_DACL_PROTECTED,
    TOKEN_QUERY, TOKEN_USER, TokenUser,
};
use windows_sys::Win32::Storage::FileSystem::FILE_ALL_ACCESS;
use windows_sys::Win32::System::SystemServices::ACCESS_ALLOWED_ACE_TYPE;
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

/// A security identifier copied into memory of our own (DWORD-aligned, as a SID must be).
struct Sid {
    words: Vec<u32>,
}

impl Sid {
    /// Copies the SID at `sid`.
    ///
    /// # Safety
    /// `sid` must point to a valid SID for the duration of the call.
    unsafe fn copy_from(sid: PSID) -> Sid {
        // SAFETY: the caller promises `sid` is a valid SID.
        let length = unsafe { GetLengthSid(sid) } as usize;
        let mut words = vec![0u32; length.div_ceil(4)];
        // SAFETY: `words` has room for `length` bytes and is a fresh allocation, so the regions
        // do not overlap; the source is `length` bytes long by GetLengthSid.
        unsafe { std::ptr::copy_nonoverlapping(sid.cast::<u8>(), words.as_mut_ptr().cast::<u8>(), length) };
        Sid { words }
    }

    fn as_psid(&self) -> PSID {
        self.words.as_ptr().cast_mut().cast::<c_void>()
    }

    fn byte_length(&self) -> usize {
        self.words.len() * 4
    }
}

/// The SID of the user this process runs as, as its token says.
fn current_user() -> io::Result<Sid> {
    let mut token: HANDLE = null_mut();
    // SAFETY: GetCurrentProcess returns a pseudo-handle that needs no closing; `token` is a
    // valid place for the handle OpenProcessToken returns.
    if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
        return Err(io::Error::last_os_error());
    }
    let token = Token(token);
    let mut needed = 0u32;
    // SAFETY: asking for the size with no buffer is the documented first call; it fails with
    // ERROR_INSUFFICIENT_BUFFER and writes the size to `needed`.
    unsafe { GetTokenInformation(token.0, TokenUser, null_mut(), 0, &mut needed) };
    if needed == 0 {
        return Err(io::Error::last_os_error());
    }
    // u64 words: TOKEN_USER holds a pointer, so the buffer must be pointer-aligned.
    let mut buffer = vec![0u64; (needed as usize).div_ceil(8)];
    let capacity = u32::try_from(buffer.len() * 8).map_err(io::Error::other)?;
    // SAFETY: `buffer` is `capacity` bytes long, writable and 8-aligned.
    if unsafe { GetTokenInformation(token.0, TokenUser, buffer.as_mut_ptr().cast(), capacity, &mut needed) } == 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: on success the buffer starts with a TOKEN_USER, whose SID points into the buffer,
    // which lives until after the copy.
    unsafe { Ok(Sid::copy_from((*buffer.as_ptr().cast::<TOKEN_USER>()).User.Sid)) }
}

struct Token(HANDLE);

impl Drop for Token {
    fn drop(&mut self) {
        // SAFETY: the handle came from OpenProcessToken and is closed only here.
        unsafe { CloseHandle(self.0) };
    }
}

/// Memory the system allocated with LocalAlloc, freed when dropped.
struct LocalMemory(*mut c_void);

impl Drop for LocalMemory {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from a call documented to allocate with LocalAlloc, and
            // nothing uses it after this.
            unsafe { LocalFree(self.0) };
        }
    }
}

/// The SID's text form, such as `S-1-5-21-…-1001`.
fn sid_text(sid: PSID) -> io::Result<String> {
    let mut text: *mut u16 = null_mut();
    // SAFETY: the caller passes a valid SID; `text` receives a LocalAlloc'd string.
    if unsafe { ConvertSidToStringSidW(sid, &mut text) } == 0 {
        return Err(io::Error::last_os_error());
    }
    let owned = LocalMemory(text.cast());
    let mut length = 0;
    // SAFETY: the string is NUL-terminated; we read up to and not including the NUL.
    while unsafe { *text.add(length) } != 0 {
        length += 1;
    }
    // SAFETY: `length` UTF-16 units were just read from this string, which `owned` keeps alive.
    let units = unsafe { std::slice::from_raw_parts(text, length) };
    let result = String::from_utf16_lossy(units);
    drop(owned);
    Ok(result)
}

/// The text form of the SID of the user this process runs as.
pub fn current_user_sid() -> io::Result<String> {
    sid_text(current_user()?.as_psid())
}

/// The DACL [`restrict_to_owner`] sets: one entry, full control for `user`, inherited by files
/// and folders created later when `is_folder`. DWORD words, as an ACL must be aligned.
fn owner_only_acl(user: &Sid, is_folder: bool) -> io::Result<Vec<u32>> {
    // An ACL header, one ACCESS_ALLOWED_ACE whose last field is the SID's first word, the SID.
    let size = size_of::<ACL>() + size_of::<ACCESS_ALLOWED_ACE>() - size_of::<u32>() + user.byte_length();
    let mut acl = vec![0u32; size.div_ceil(4)];
    let acl_length = u32::try_from(acl.len() * 4).map_err(io::Error::other)?;
    let acl_pointer = acl.as_mut_ptr().cast::<ACL>();
    // SAFETY: `acl` is `acl_length` bytes, writable and DWORD-aligned as an ACL must be.
    if unsafe { InitializeAcl(acl_pointer, acl_length, ACL_REVISION) } == 0 {
        return Err(io::Error::last_os_error());
    }
    let inheritance = if is_folder { OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE } else { 0 };
    // SAFETY: the ACL was initialised above with room for exactly this entry; the SID is valid
    // and outlives the call (the ACE gets a copy).
    if unsafe { AddAccessAllowedAceEx(acl_pointer, ACL_REVISION, inheritance, FILE_ALL_ACCESS, user.as_psid()) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(acl)
}

/// Gives `path` a protected DACL that lets only the current user in. For a folder the entry is
/// inherited by what is created in it from then on.
pub fn restrict_to_owner(path: &Path) -> io::Result<()> {
    let is_folder = std::fs::symlink_metadata(path)?.is_dir();
    let acl = owner_only_acl(&current_user()?, is_folder)?;
    let name = crate::wide(path.as_os_str());
    // SAFETY: `name` is NUL-terminated and the ACL valid, both living past the call; owner,
    // group and SACL are not being set, so they may be null.
    let status = unsafe {
        SetNamedSecurityInfoW(
            name.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
            null_mut(),
            null_mut(),
            acl.as_ptr().cast::<ACL>(),
            null(),
        )
    };
    if status != 0 {
        return Err(io::Error::from_raw_os_error(status as i32));
    }
    Ok(())
}

/// What [`restrict_to_owner`] sets on a folder (`is_folder`) or a file, read as [`access_of`]
/// reads a file's: a check of the ACL itself that needs no file system keeping it.
pub fn planned_access(is_folder: bool) -> io::Result<Access> {
    let acl = owner_only_acl(&current_user()?, is_folder)?;
    // SAFETY: `acl` is the valid ACL just built, alive for the call.
    unsafe { describe(acl.as_ptr().cast::<ACL>(), true) }
}

/// What an object's DACL lets in, as read back from the system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// The DACL is protected: nothing is inherited from the folder above.
    pub protected: bool,
    /// The object has no DACL at all, which lets everyone in.
    pub no_dacl: bool,
    /// The SIDs (text form) that an allow entry names, in order.
    pub allowed: Vec<String>,
    /// How many allow entries pass to files and folders created inside (a folder's should).
    pub inherited_by_new_items: usize,
    /// Entries of any other kind (deny, audit, object entries).
    pub other_entries: usize,
}

impl Access {
    /// Whether only the current user is let in (and nothing is inherited).
    pub fn is_owner_only(&self) -> io::Result<bool> {
        Ok(self.protected && !self.no_dacl && self.other_entries == 0 && self.allowed == [current_user_sid()?])
    }
}

/// Reads `path`'s DACL.
pub fn access_of(path: &Path) -> io::Result<Access> {
    let name = crate::wide(path.as_os_str());
    let mut dacl: *mut ACL = null_mut();
    let mut descriptor: PSECURITY_DESCRIPTOR = null_mut();
    // SAFETY: `name` is NUL-terminated; the out pointers are valid; the descriptor returned is
    // LocalAlloc'd and freed by `LocalMemory`, and `dacl` points into it.
    let status = unsafe {
        GetNamedSecurityInfoW(
            name.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION,
            null_mut(),
            null_mut(),
            &mut dacl,
            null_mut(),
            &mut descriptor,
        )
    };
    if status != 0 {
        return Err(io::Error::from_raw_os_error(status as i32));
    }
    let descriptor = LocalMemory(descriptor);
    let (mut control, mut revision) = (0u16, 0u32);
    // SAFETY: the descriptor is the valid one just returned; the out pointers are valid.
    if unsafe { GetSecurityDescriptorControl(descriptor.0, &mut control, &mut revision) } == 0 {
        return Err(io::Error::last_os_error());
    }
    let protected = control & SE_DACL_PROTECTED != 0;
    // SAFETY: `dacl` is null or points into the descriptor, which lives until after the call.
    let access = unsafe { describe(dacl, protected) };
    drop(descriptor);
    access
}

/// Reads the entries of `dacl` (null: no DACL at all).
///
/// # Safety
/// `dacl` must be null or point to a valid ACL that stays alive during the call.
unsafe fn describe(dacl: *const ACL, protected: bool) -> io::Result<Access> {
    let mut access =
        Access { protected, no_dacl: dacl.is_null(), allowed: Vec::new(), inherited_by_new_items: 0, other_entries: 0 };
    if dacl.is_null() {
        return Ok(access);
    }
    // SAFETY: the caller promises `dacl` points to a valid ACL.
    let count = unsafe { (*dacl).AceCount };
    for index in 0..u32::from(count) {
        let mut entry: *mut c_void = null_mut();
        // SAFETY: `index` is below the ACL's entry count; `entry` receives a pointer into it.
        if unsafe { GetAce(dacl, index, &mut entry) } == 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: every ACE starts with an ACE_HEADER; the pointer is into the live ACL.
        let header = unsafe { *entry.cast::<ACE_HEADER>() };
        if u32::from(header.AceType) == ACCESS_ALLOWED_ACE_TYPE {
            // SAFETY: an access-allowed ACE's SID begins at its SidStart field, inside the ACL.
            let sid = unsafe { &raw mut (*entry.cast::<ACCESS_ALLOWED_ACE>()).SidStart };
            access.allowed.push(sid_text(sid.cast())?);
            let inherits = OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE;
            if u32::from(header.AceFlags) & inherits == inherits {
                access.inherited_by_new_items += 1;
            }
        } else {
            access.other_entries += 1;
        }
    }
    Ok(access)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrowed_folder_lets_only_its_owner_in_and_passes_that_to_new_files() {
        let folder = tempfile::tempdir().unwrap();
        let private = folder.path().join("practice");
        std::fs::create_dir(&private).unwrap();
        restrict_to_owner(&private).unwrap();
        let access = access_of(&private).unwrap();
        assert!(access.is_owner_only().unwrap(), "{access:?}");
        std::fs::write(private.join("later.txt"), b"x").unwrap();
        let inherited = access_of(&private.join("later.txt")).unwrap();
        assert_eq!(inherited.allowed, [current_user_sid().unwrap()], "{inherited:?}");
        assert_eq!(inherited.other_entries, 0);
    }

    #[test]
    fn a_narrowed_file_lets_only_its_owner_in() {
        let folder = tempfile::tempdir().unwrap();
        let file = folder.path().join("keyslots.json");
        std::fs::write(&file, b"{}").unwrap();
        restrict_to_owner(&file).unwrap();
        let access = access_of(&file).unwrap();
        assert!(access.is_owner_only().unwrap(), "{access:?}");
        assert_eq!(std::fs::read(&file).unwrap(), b"{}", "the owner still reads it");
    }

    #[test]
    fn the_acl_set_on_a_folder_lets_only_the_owner_in_and_passes_to_new_files() {
        let access = planned_access(true).unwrap();
        assert!(access.is_owner_only().unwrap(), "{access:?}");
        assert_eq!(access.inherited_by_new_items, 1, "{access:?}");
    }

    #[test]
    fn the_acl_set_on_a_file_lets_only_the_owner_in() {
        let access = planned_access(false).unwrap();
        assert!(access.is_owner_only().unwrap(), "{access:?}");
        assert_eq!(access.inherited_by_new_items, 0, "{access:?}");
    }

    #[test]
    fn the_current_user_has_a_sid() {
        assert!(current_user_sid().unwrap().starts_with("S-1-"));
    }
}
