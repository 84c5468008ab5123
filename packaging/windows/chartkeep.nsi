; Chartkeep's Windows installer, built on Linux with the system's makensis (scripts/package-windows).
;
; - Per user: installs into %LOCALAPPDATA%\Programs\Chartkeep and writes only to HKCU, so it
;   needs no administrator rights (RequestExecutionLevel user).
; - A Start-menu entry, and an entry in Settings > Apps (HKCU ...\Uninstall\Chartkeep).
; - Checks for the Microsoft Edge WebView2 Runtime, which Chartkeep's window needs, and says so
;   plainly when it is missing.
; - The uninstaller removes the files it installed, by name, and nothing else: the practice's
;   records in %LOCALAPPDATA%\Chartkeep (and this PC's Credential Manager entry) are kept.
;
; Defines (makensis -D...): VERSION (x.y.z), APP_EXE, ADMIN_EXE, ICON, OUT_FILE, and
; WEBVIEW2_LOADER only when the app needs WebView2Loader.dll beside it.

Unicode true
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "WinVer.nsh"
!include "FileFunc.nsh"

!define PRODUCT "Chartkeep"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Chartkeep"
!define SETTINGS_KEY "Software\Chartkeep"
; The WebView2 Runtime's id, under which EdgeUpdate records the installed version ("pv").
!define WEBVIEW2_KEY "Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
; Windows 10 version 1809, the oldest Chartkeep is expected to run on.
!define OLDEST_BUILD 17763

Name "${PRODUCT}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT}"
InstallDirRegKey HKCU "${SETTINGS_KEY}" "InstallDir"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${PRODUCT}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${PRODUCT} installer"
VIAddVersionKey "LegalCopyright" "AGPL-3.0-or-later"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\chartkeep.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${PRODUCT}"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "${PRODUCT} will be removed from this PC. The practice's records in $LOCALAPPDATA\${PRODUCT} are kept."

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  SetShellVarContext current
  ${IfNot} ${AtLeastBuild} ${OLDEST_BUILD}
    MessageBox MB_OK|MB_ICONSTOP "${PRODUCT} needs Windows 10 (version 1809 or later) or Windows 11." /SD IDOK
    Abort
  ${EndIf}
  Call CheckWebView2
FunctionEnd

; The WebView2 Runtime shows Chartkeep's window. Windows 11 has it, and Windows Update brings it
; to Windows 10; a PC without it gets a plain message (a silent install goes on, so that IT can
; deploy the runtime on its own).
Function CheckWebView2
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\${WEBVIEW2_KEY}" "pv"
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKLM "SOFTWARE\${WEBVIEW2_KEY}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKCU "Software\${WEBVIEW2_KEY}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "${PRODUCT} needs the Microsoft Edge WebView2 Runtime to show its window, and it is not installed on this PC.$\r$\n$\r$\nWindows 11 includes it, and Windows Update adds it to Windows 10. To add it now, download the $\"Evergreen Bootstrapper$\" from Microsoft's WebView2 page (search for $\"WebView2 Runtime download$\"), run it, then run this installer again.$\r$\n$\r$\nInstall ${PRODUCT} anyway? It will not open until WebView2 is installed." /SD IDYES IDYES install_anyway
    Abort
    install_anyway:
    DetailPrint "The WebView2 Runtime is missing: ${PRODUCT} will not open until it is installed."
  ${Else}
    DetailPrint "WebView2 Runtime $0 found."
  ${EndIf}
FunctionEnd

Section "${PRODUCT}"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "/oname=chartkeep.exe" "${APP_EXE}"
  File "/oname=chartkeep-admin.exe" "${ADMIN_EXE}"
  !ifdef WEBVIEW2_LOADER
    File "/oname=WebView2Loader.dll" "${WEBVIEW2_LOADER}"
  !endif
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\chartkeep.exe" "" "$INSTDIR\chartkeep.exe" 0

  WriteRegStr HKCU "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\chartkeep.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" "$\"$INSTDIR\uninstall.exe$\""
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" "$\"$INSTDIR\uninstall.exe$\" /S"
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

; Removes what the installer put there, by name. Never the practice's data folder
; ($LOCALAPPDATA\Chartkeep: the encrypted database, key slots, logs, backups made there) and never
; this PC's Credential Manager entry: without them the records could not be opened again.
Section "Uninstall"
  SetShellVarContext current
  Delete "$INSTDIR\chartkeep.exe"
  Delete "$INSTDIR\chartkeep-admin.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\uninstall.exe"
  ; Only when empty: a folder someone chose that holds other files stays as it is.
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "${SETTINGS_KEY}"
  DetailPrint "The practice's records are kept in $LOCALAPPDATA\${PRODUCT}."
SectionEnd
