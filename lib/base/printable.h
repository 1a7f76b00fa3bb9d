/*
 * printable.h - text from a directory server, made safe for a terminal.
 *
 * A DN, SPN or sAMAccountName is whatever the server sent: it may hold
 * ESC and other control bytes that a terminal executes (set the title,
 * rewrite the screen, in old terminals answer back), a newline that forges
 * a report line, or bytes that are not UTF-8 (a lone 0x9B is CSI on 8-bit
 * terminals). The text writers and the tool's messages print such text
 * through here: every C0 control byte, DEL, C1 control (U+0080..U+009F)
 * and byte that is not part of valid UTF-8 becomes \xNN; everything else
 * (ASCII, valid UTF-8) is printed as it is. JSON escapes on its own; CSV
 * and LDIF carry the data unchanged for programs.
 */
#ifndef SPN_BASE_PRINTABLE_H
#define SPN_BASE_PRINTABLE_H

#include <stddef.h>
#include <stdio.h>

/* How many bytes of s[0..n) a terminal shows as plain text: n when s
 * needs no escape. */
size_t spn_printable_span(const char *s, size_t n);
/* s[0..n) to f, escaped. */
void spn_printable_write(FILE *f, const char *s, size_t n);
/* s, or an escaped copy; up to four results of this thread may be used
 * together (the fields of one fprintf): s itself when nothing needs
 * escaping, so the common case copies nothing. NULL stays NULL; an escape
 * that finds no memory gives "?". */
const char *spn_printable(const char *s);

#endif
