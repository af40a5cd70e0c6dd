#!/bin/sh
# SPDX-License-Identifier: ISC
# The legacy lab, mail: conf.d/smtp.conf, submission.conf, pop3.conf and
# imap.conf enabled, portierd on ports 25, 587, 110 and 143 of its own network
# namespace. Python's smtplib sends one message through each of exim4 -bs on
# 25 and 587 to a local user; both must land in /var/mail/USER; poplib and
# imaplib (mailutils pop3d and imap4d) log in and read them.
. "${top_srcdir:-../..}/tests/lab/lab.sh"
lab_init lab-mail "$@"
lab_need /usr/sbin/exim4 exim4-daemon-light
lab_need /usr/sbin/pop3d mailutils-pop3d
lab_need /usr/sbin/imap4d mailutils-imap4d

lab_user
# Debian's default Exim configuration delivers local users' mail to
# /var/mail; a machine configured otherwise cannot run this test.
route=$(/usr/sbin/exim4 -bt "$LAB_USER@localhost" 2>&1)
case $route in
*"transport = mail_spool"*) ;;
*) pt_error "exim4 does not deliver $LAB_USER@localhost to /var/mail" \
	"(dpkg-reconfigure exim4-config: local delivery only): $route" ;;
esac

lab_conf smtp.conf submission.conf pop3.conf imap.conf
lab_start 25/tcp 587/tcp 110/tcp 143/tcp
lab_outsider
lab_refused smtp 25
lab_refused submission 587
lab_refused pop3 110
lab_refused imap 143

tag=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
lab_client smtp 127.0.0.1 25 "$LAB_USER@localhost" "lab-smtp-$tag"
lab_client smtp ::1 587 "$LAB_USER@localhost" "lab-submission-$tag"

# Exim delivers in a process of its own after the session: wait for both.
mbox=/var/mail/$LAB_USER
i=0
until grep -q "^Subject: lab-smtp-$tag" "$mbox" &&
	grep -q "^Subject: lab-submission-$tag" "$mbox"; do
	i=$((i + 1))
	[ $i -le $((LAB_TIMEOUT * 10)) ] || {
		tail -n 20 /var/log/exim4/mainlog >&2
		pt_fail "messages not delivered to $mbox after ${LAB_TIMEOUT}s"
	}
	sleep 0.1
done
lab_say "both messages delivered to $mbox"

lab_client pop3 127.0.0.1 110 "$LAB_USER" "$LAB_PASS" "lab-smtp-$tag"
lab_client imap 127.0.0.1 143 "$LAB_USER" "$LAB_PASS" "lab-submission-$tag"
lab_client imap ::1 143 "$LAB_USER" "$LAB_PASS" "lab-smtp-$tag"
pt_stop || pt_fail "portierd exit status on SIGTERM"
lab_say PASS
