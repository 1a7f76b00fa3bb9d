/*
 * cmdline_word.h - one word of a command line spnctl offers to copy and
 * paste: the html report's setspn and spnctl lines, the fixes of probe
 * and doctor, the setspn hints of the checks. The only quoting of such
 * words in spnctl: every writer of a command line goes through here.
 *
 * A word is the value itself when it needs no quotes, else quoted: '...'
 * for a POSIX shell (sh), "..." for cmd.exe and PowerShell alike (cmd).
 * False - no command line for that value, the caller says why - when the
 * value cannot be put on a command line safely: empty, anything but
 * printable ASCII (an invisible character does not survive copy and
 * paste, a control one rewrites the terminal), or buf too small; for cmd
 * also what either shell reads as more than a word even inside "..."
 * ('%', '"', '`', '$' but last, ...) and a leading '-' or '/', which
 * setspn reads as a switch quoted or not (it has no "--").
 *
 * A sh word may still start with '-': quotes do not stop a program
 * reading it as an option, so a command line puts "--" before its
 * operands (spnctl rm -- SPN ACCOUNT). A leading '=' (zsh: =ls is
 * /bin/ls) and '~' are quoted for sh, a leading '@' (PowerShell's
 * splatting) for cmd; a '$' is quoted for sh wherever it stands.
 */
#ifndef SPN_BASE_CMDLINE_WORD_H
#define SPN_BASE_CMDLINE_WORD_H

#include <stdbool.h>
#include <stddef.h>

/* The longest quoted word a caller needs room for: values longer than
 * this get no command line. */
#define SPN_CMDLINE_WORD_MAX 1024

bool spn_sh_word(const char *s, char *buf, size_t cap);
bool spn_cmd_word(const char *s, char *buf, size_t cap);

#endif
