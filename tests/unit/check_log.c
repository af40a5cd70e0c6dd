/* SPDX-License-Identifier: ISC */
/* Unit tests for the journal side of sbin/log.c: the fields of a record
 * (what sd_journal_sendv gets) and the JOURNAL_STREAM test. No journal is
 * needed: the formatting is pure. */
#include "autoconf.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "check_run.h"

/* The value of field NAME in r, as a string, or NULL when absent. */
static const char *
field(const struct log_record *r, const char *name)
{
	static char value[4096];
	size_t len = strlen(name);

	for (size_t i = 0; i < r->n; i++) {
		const char *base = r->iov[i].iov_base;

		if (r->iov[i].iov_len > len && !strncmp(base, name, len) && base[len] == '=') {
			snprintf(value, sizeof(value), "%.*s", (int)(r->iov[i].iov_len - len - 1),
				 base + len + 1);
			return value;
		}
	}
	return NULL;
}

START_TEST(test_plain_message)
{
	struct log_record r;

	log_open("portierd", LOG_TO_STDERR, LOG_DAEMON);
	log_record_format(&r, LOG_ERR, NULL, "no service could be bound");
	ck_assert_uint_eq(r.n, 3);
	ck_assert_str_eq(field(&r, "MESSAGE"), "no service could be bound");
	ck_assert_str_eq(field(&r, "PRIORITY"), "3");
	ck_assert_str_eq(field(&r, "SYSLOG_IDENTIFIER"), "portierd");
	ck_assert_ptr_null(field(&r, "SERVICE_ID"));
}
END_TEST

START_TEST(test_every_field)
{
	struct log_fields f = {
		.event = LOG_EVENT_HANDLER_EXIT,
		.service_id = "telnet", .remote_addr = "192.0.2.7", .remote_port = 40123,
		.handler_pid = 4242, .exit_status = "status 0", .duration_usec = 1500000,
		.refused_reason = "per_source",
	};
	struct log_record r;

	log_record_format(&r, LOG_INFO, &f, "telnet: exit pid 4242");
	ck_assert_uint_eq(r.n, 11);
	ck_assert_str_eq(field(&r, "MESSAGE_ID"), "016d1b5ee7404e2ebbadfe964b25ebbd");
	ck_assert_str_eq(field(&r, "MESSAGE"), "telnet: exit pid 4242");
	ck_assert_str_eq(field(&r, "PRIORITY"), "6");
	ck_assert_str_eq(field(&r, "SERVICE_ID"), "telnet");
	ck_assert_str_eq(field(&r, "REMOTE_ADDR"), "192.0.2.7");
	ck_assert_str_eq(field(&r, "REMOTE_PORT"), "40123");
	ck_assert_str_eq(field(&r, "HANDLER_PID"), "4242");
	ck_assert_str_eq(field(&r, "EXIT_STATUS"), "status 0");
	ck_assert_str_eq(field(&r, "DURATION_USEC"), "1500000");
	ck_assert_str_eq(field(&r, "REFUSED_REASON"), "per_source");
}
END_TEST

START_TEST(test_unset_fields_left_out)
{
	/* what svclog_refused() gives without HOST: id and reason only */
	struct log_fields f = { .service_id = "ftp", .duration_usec = -1,
				.refused_reason = "access", .remote_addr = "" };
	struct log_record r;

	log_record_format(&r, LOG_NOTICE, &f, "ftp: refused: access");
	ck_assert_uint_eq(r.n, 5);
	ck_assert_ptr_null(field(&r, "MESSAGE_ID"));	/* LOG_EVENT_NONE */
	ck_assert_str_eq(field(&r, "SERVICE_ID"), "ftp");
	ck_assert_str_eq(field(&r, "REFUSED_REASON"), "access");
	ck_assert_ptr_null(field(&r, "REMOTE_ADDR"));
	ck_assert_ptr_null(field(&r, "REMOTE_PORT"));
	ck_assert_ptr_null(field(&r, "HANDLER_PID"));
	ck_assert_ptr_null(field(&r, "DURATION_USEC"));
	ck_assert_ptr_null(field(&r, "EXIT_STATUS"));
}
END_TEST

START_TEST(test_zero_duration_is_a_value)
{
	struct log_fields f = { .service_id = "echo", .duration_usec = 0 };
	struct log_record r;

	log_record_format(&r, LOG_INFO, &f, "echo: end internal");
	ck_assert_str_eq(field(&r, "DURATION_USEC"), "0");
}
END_TEST

START_TEST(test_longest_message_keeps_fields)
{
	/* log.c formats messages into 2,048 bytes: the longest still leaves
	 * room for every field. */
	struct log_fields f = {
		.event = LOG_EVENT_SPAWN_FAILED,
		.service_id = "a-rather-long-service-identifier/tcp",
		.remote_addr = "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", .remote_port = 65535,
		.handler_pid = 2147483647, .exit_status = "signal SEGV (core dumped)",
		.duration_usec = 9223372036854775807LL, .refused_reason = "instances",
	};
	static char msg[2048];
	struct log_record r;

	memset(msg, 'x', sizeof(msg) - 1);
	log_record_format(&r, LOG_WARNING, &f, msg);
	ck_assert_uint_eq(r.n, 11);
	ck_assert_str_eq(field(&r, "MESSAGE_ID"), "1aa41eb84d1144bd8718117cac18a2e8");
	ck_assert_uint_eq(r.iov[0].iov_len, strlen("MESSAGE=") + sizeof(msg) - 1);
	ck_assert_str_eq(field(&r, "DURATION_USEC"), "9223372036854775807");
}
END_TEST

/* The ids of docs/systemd.md: journal queries and programs match them, so
 * they never change. */
static const struct {
	enum log_event event;
	const char *id;
} message_ids[] = {
	{ LOG_EVENT_HANDLER_START, "0f20d3c015904264b4f3b7a68e9d50dd" },
	{ LOG_EVENT_HANDLER_EXIT, "016d1b5ee7404e2ebbadfe964b25ebbd" },
	{ LOG_EVENT_INTERNAL, "e001f781e5e24ec0863c65e75d8259e7" },
	{ LOG_EVENT_REFUSED, "7cae5b880d8746719b3aaa75048c3fe5" },
	{ LOG_EVENT_SPAWN_FAILED, "1aa41eb84d1144bd8718117cac18a2e8" },
	{ LOG_EVENT_STARTED, "509453c49d024f7eb0c7611bd300677b" },
	{ LOG_EVENT_RELOADED, "00819a06c33a4c809d6b941203b12473" },
	{ LOG_EVENT_RELOAD_FAILED, "42d9ec9670004e96bab8ada187745e9e" },
	{ LOG_EVENT_STOPPING, "220c94229d734effaa1480bbbce4be6b" },
};

START_TEST(test_message_id)
{
	struct log_fields f = { .event = message_ids[_i].event, .duration_usec = -1 };
	struct log_record r;

	/* every kind has its id, in the record after the three fixed fields */
	ck_assert_uint_eq(sizeof(message_ids) / sizeof(message_ids[0]), LOG_EVENT_COUNT - 1);
	log_record_format(&r, LOG_INFO, &f, "an event");
	ck_assert_uint_eq(r.n, 4);
	ck_assert_str_eq(field(&r, "MESSAGE_ID"), message_ids[_i].id);
	ck_assert_str_eq(log_event_id(message_ids[_i].event), message_ids[_i].id);
	for (size_t j = 0; j < sizeof(message_ids) / sizeof(message_ids[0]); j++)
		if (j != (size_t)_i)
			ck_assert_str_ne(message_ids[j].id, message_ids[_i].id);
}
END_TEST

START_TEST(test_message_id_none)
{
	ck_assert_ptr_null(log_event_id(LOG_EVENT_NONE));
	ck_assert_ptr_null(log_event_id(LOG_EVENT_COUNT));
}
END_TEST

START_TEST(test_journal_stream)
{
	ck_assert(log_stream_matches("8:1234", 8, 1234));
	ck_assert(!log_stream_matches("8:1234", 8, 1235));
	ck_assert(!log_stream_matches("9:1234", 8, 1234));
	ck_assert(!log_stream_matches("8:1234x", 8, 1234));
	ck_assert(!log_stream_matches("8", 8, 1234));
	ck_assert(!log_stream_matches(":1234", 0, 1234));
	ck_assert(!log_stream_matches("", 0, 0));
	ck_assert(!log_stream_matches(NULL, 0, 0));
}
END_TEST

START_TEST(test_stderr_is_journal)
{
	struct stat st;
	char js[64];

	ck_assert_int_eq(fstat(STDERR_FILENO, &st), 0);
	snprintf(js, sizeof(js), "%ju:%ju", (uintmax_t)st.st_dev, (uintmax_t)st.st_ino);
	setenv("JOURNAL_STREAM", js, 1);
	ck_assert(log_stderr_is_journal());
	setenv("JOURNAL_STREAM", "1:1", 1);
	ck_assert(!log_stderr_is_journal());
	unsetenv("JOURNAL_STREAM");
	ck_assert(!log_stderr_is_journal());
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("journal");

	tcase_add_test(tc, test_plain_message);
	tcase_add_test(tc, test_every_field);
	tcase_add_test(tc, test_unset_fields_left_out);
	tcase_add_test(tc, test_zero_duration_is_a_value);
	tcase_add_test(tc, test_longest_message_keeps_fields);
	tcase_add_loop_test(tc, test_message_id, 0,
			    sizeof(message_ids) / sizeof(message_ids[0]));
	tcase_add_test(tc, test_message_id_none);
	tcase_add_test(tc, test_journal_stream);
	tcase_add_test(tc, test_stderr_is_journal);
	suite_add_tcase(s, tc);
	return check_run(s);
}
