/*
 * sntp: the client side of SNTP (RFC 4330) as bytes, and the NTP time a
 * server gives turned into a calendar date. Portable, no system calls.
 *
 * A request is 48 bytes: LI 0, version 4, mode 3 (client), everything
 * zero but the transmit timestamp, which the server copies into its
 * reply's origin timestamp -- so the client sends a value of its own and
 * accepts only a reply that gives it back (RFC 4330 section 5), which an
 * off-path sender cannot guess. A reply is checked as section 5 says:
 * mode 4 (server), version 3 or 4, a leap indicator other than 3 (clock
 * not synchronised), stratum 1-15 (0 is a kiss-of-death), our origin
 * timestamp, a transmit timestamp that is not zero.
 *
 * NTP seconds are 32 bits and wrap in 2036: as RFC 4330 section 3 says,
 * a value whose top bit is clear is taken as the era after the wrap
 * (from 2036-02-07 06:28:16 UTC), one whose top bit is set as 1968-2036.
 */
#ifndef CAMBIOS_LIB_SNTP_H
#define CAMBIOS_LIB_SNTP_H

#include <stddef.h>
#include <stdint.h>

#define SNTP_PACKET_LEN 48
#define SNTP_PORT 123
#define SNTP_UNIX_EPOCH 2208988800u /* NTP seconds at 1970-01-01 00:00:00 UTC */

enum sntp_verdict {
	SNTP_OK = 0,
	SNTP_SHORT,          /* under 48 bytes */
	SNTP_MODE,           /* not mode 4 (server) */
	SNTP_VERSION,        /* not version 3 or 4 */
	SNTP_UNSYNCHRONIZED, /* leap indicator 3: the server's clock is not set */
	SNTP_STRATUM,        /* 0 (kiss-of-death) or past 15 */
	SNTP_ORIGIN,         /* not the transmit timestamp we sent */
	SNTP_NO_TIME,        /* transmit timestamp zero */
	SNTP_VERDICTS,
};

/* The 48-byte request carrying `transmit` (an NTP 64-bit timestamp, the
 * value the reply must give back). */
void sntp_request(uint8_t out[SNTP_PACKET_LEN], uint64_t transmit);

/* Checks the reply [p, p + len) to a request that carried `sent`; on
 * SNTP_OK, *seconds is the server's transmit time in NTP seconds. Never
 * reads past len. */
enum sntp_verdict sntp_check_reply(const uint8_t *p, size_t len, uint64_t sent, uint32_t *seconds);

/* A short name for a verdict ("origin"). */
const char *sntp_verdict_name(enum sntp_verdict v);

/* NTP seconds (with the era rule above) as seconds since 1970 UTC. */
int64_t sntp_unix_seconds(uint32_t ntp_seconds);

struct sntp_date {
	int64_t year;
	unsigned month, day, hour, minute, second; /* month 1-12, day 1-31 */
};

/* The proleptic Gregorian UTC date and time of `unix` seconds since 1970
 * (no leap seconds, as NTP counts). */
void sntp_date(int64_t unix_seconds, struct sntp_date *out);

/* "YYYY-MM-DD HH:MM:SS" (years 0-9999) into out; returns its length (19),
 * or 0 when cap is under 20 or the year has no four digits. NUL-terminated. */
size_t sntp_format(char *out, size_t cap, const struct sntp_date *d);

#endif
