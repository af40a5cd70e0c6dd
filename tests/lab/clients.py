#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""The legacy lab's clients: Python's own protocol modules against real handlers.

Every check raises (exit 1, with the reason on stderr) when the server does not
behave; nothing here implements a protocol itself beyond answering TELNET
option negotiation, which telnetlib leaves to its caller.

    clients.py telnet HOST PORT USER PASSWORD
    clients.py ftp    HOST PORT USER PASSWORD MODE FILE   (MODE: passive|active)
    clients.py smtp   HOST PORT RCPT TOKEN
    clients.py pop3   HOST PORT USER PASSWORD TOKEN
    clients.py imap   HOST PORT USER PASSWORD TOKEN
    clients.py refused HOST PORT   (the connection is closed unanswered)
"""

import ftplib
import imaplib
import io
import poplib
import smtplib
import socket
import sys
import warnings

TIMEOUT = 20  # seconds for any single network operation


class LabError(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise LabError(what)


def log(*args):
    print("   ", *args, flush=True)


# TELNET ---------------------------------------------------------------------

def telnet_session(host, port, user, password):
    """Logs in, returns (telnetlib object, list of negotiations seen)."""
    with warnings.catch_warnings():
        # Deprecated since 3.11 (PEP 594) but present in Debian 12's Python.
        warnings.simplefilter("ignore", DeprecationWarning)
        import telnetlib
    seen = []
    tn = telnetlib.Telnet()

    def negotiate(sock, cmd, opt):
        # A terminal that can echo-suppress and send its type, nothing more.
        if cmd == telnetlib.DO:
            seen.append(("DO", opt))
            ok = opt == telnetlib.TTYPE
            sock.sendall(telnetlib.IAC + (telnetlib.WILL if ok else telnetlib.WONT) + opt)
        elif cmd == telnetlib.WILL:
            seen.append(("WILL", opt))
            ok = opt in (telnetlib.ECHO, telnetlib.SGA)
            sock.sendall(telnetlib.IAC + (telnetlib.DO if ok else telnetlib.DONT) + opt)
        elif cmd == telnetlib.SE:
            sb = tn.read_sb_data()
            seen.append(("SB", sb))
            if sb[:2] == telnetlib.TTYPE + b"\x01":  # TTYPE SEND
                sock.sendall(telnetlib.IAC + telnetlib.SB + telnetlib.TTYPE +
                         b"\x00VT100" + telnetlib.IAC + telnetlib.SE)

    tn.set_option_negotiation_callback(negotiate)
    tn.open(host, port, TIMEOUT)
    out = tn.read_until(b"login: ", TIMEOUT)
    expect(out.endswith(b"login: "), "no login prompt: %r" % out)
    tn.write(user.encode() + b"\r\n")
    out = tn.read_until(b"assword: ", TIMEOUT)
    expect(out.endswith(b"assword: "), "no password prompt: %r" % out)
    tn.write(password.encode() + b"\r\n")
    return tn, seen


def telnet(host, port, user, password):
    # A wrong password must be refused by login(1).
    tn, _ = telnet_session(host, port, user, password + "-wrong")
    out = tn.read_until(b"Login incorrect", TIMEOUT)
    expect(b"Login incorrect" in out, "wrong password not refused: %r" % out)
    tn.close()
    log("telnet: wrong password refused")

    tn, seen = telnet_session(host, port, user, password)
    out = tn.read_until(b"$ ", TIMEOUT)
    expect(out.endswith(b"$ "), "no shell prompt after login: %r" % out)
    # The shell computes the answer, so the echo of the command cannot match.
    tn.write(b"echo lab-$((6*7)) $(id -un)\r\n")
    want = b"lab-42 " + user.encode()
    out = tn.read_until(want, TIMEOUT)
    expect(want in out, "command output missing: %r" % out)
    tn.write(b"exit\r\n")
    tn.read_all()
    tn.close()
    log("telnet: shell prompt reached, command output came back")

    ttype, echo, sga = b"\x18", b"\x01", b"\x03"
    expect(("DO", ttype) in seen, "server never asked DO TERMINAL-TYPE: %r" % seen)
    expect(("SB", ttype + b"\x01") in seen, "server never sent TTYPE SEND: %r" % seen)
    expect(("WILL", echo) in seen, "server never offered WILL ECHO: %r" % seen)
    expect(("WILL", sga) in seen, "server never offered WILL SGA: %r" % seen)
    log("telnet: negotiated TTYPE, ECHO, SGA")


# FTP ------------------------------------------------------------------------

class RecordingFTP(ftplib.FTP):
    """ftplib.FTP that remembers where each data connection was meant to go
    (the PORT it announced, the PASV address it was given) and where it went."""

    def __init__(self):
        super().__init__()
        self.announced = []  # (mode, host, port) per data connection
        self.data = []  # (local, peer) per data connection

    def makeport(self):
        sock = super().makeport()
        # PORT names the control connection's address and this port.
        host = self.sock.getsockname()[0]
        self.announced.append(("active", host, sock.getsockname()[1]))
        return sock

    def makepasv(self):
        host, port = super().makepasv()
        self.announced.append(("passive", host, port))
        return host, port

    def ntransfercmd(self, cmd, rest=None):
        conn, size = super().ntransfercmd(cmd, rest)
        self.data.append((conn.getsockname()[:2], conn.getpeername()[:2]))
        return conn, size


def ftp_check_data(f, mode):
    """Each data connection went where PORT or PASV said, in the mode asked."""
    server = f.sock.getpeername()[0]
    expect(len(f.data) == 3 and len(f.announced) == 3,
           "data connections: %r announced: %r" % (f.data, f.announced))
    for (how, host, port), (local, peer) in zip(f.announced, f.data):
        expect(how == mode, "%s transfer used %s" % (mode, how))
        if mode == "active":
            # The server connected to the port we announced, from its own address.
            expect(local == (host, port) and peer[0] == server,
                   "active: announced %s:%d, got %r <- %r" % (host, port, local, peer))
        else:
            expect(peer == (host, port),
                   "passive: told %s:%d, connected to %r" % (host, port, peer))


def ftp(host, port, user, password, mode, path):
    with open(path, "rb") as fp:
        data = fp.read()
    name = path.rsplit("/", 1)[-1]

    f = ftplib.FTP()
    f.connect(host, port, TIMEOUT)
    try:
        f.login(user, password + "-wrong")
        raise LabError("wrong password accepted")
    except ftplib.error_perm as e:
        expect(str(e).startswith("530"), "wrong password: %s" % e)
    f.close()
    log("ftp: wrong password refused")

    f = RecordingFTP()
    welcome = f.connect(host, port, TIMEOUT)
    expect(welcome.startswith("220"), "greeting: %r" % welcome)
    resp = f.login(user, password)
    expect(resp.startswith("230"), "login: %r" % resp)
    f.set_pasv(mode == "passive")

    listing = []
    f.retrlines("LIST", listing.append)
    expect(any(line.split()[-1:] == [name] for line in listing),
           "LIST does not show %s: %r" % (name, listing))

    buf = io.BytesIO()
    resp = f.retrbinary("RETR " + name, buf.write)
    expect(resp.startswith("226"), "RETR: %r" % resp)
    expect(buf.getvalue() == data, "RETR: %d bytes differ from the %d sent"
           % (len(buf.getvalue()), len(data)))

    resp = f.storbinary("STOR up-%s.bin" % mode, io.BytesIO(data))
    expect(resp.startswith("226"), "STOR: %r" % resp)
    ftp_check_data(f, mode)
    f.quit()
    log("ftp %s: LIST, RETR, STOR of %d bytes; data connections %r"
        % (mode, len(data), f.data))


# Mail -----------------------------------------------------------------------

def smtp(host, port, rcpt, token):
    s = smtplib.SMTP(host, port, timeout=TIMEOUT)
    code, msg = s.ehlo("lab-client.invalid")
    expect(code == 250, "EHLO: %d %r" % (code, msg))
    msg = ("From: lab-tester@localhost\r\nTo: %s\r\nSubject: %s\r\n\r\n"
           "body of %s\r\n" % (rcpt, token, token))
    refused = s.sendmail("lab-tester@localhost", [rcpt], msg.encode())
    expect(not refused, "recipients refused: %r" % refused)
    s.quit()
    log("smtp port %d: EHLO, MAIL, RCPT, DATA accepted for %s" % (port, rcpt))


def pop3(host, port, user, password, token):
    p = poplib.POP3(host, port, timeout=TIMEOUT)
    p.user(user)
    try:
        p.pass_(password + "-wrong")
        raise LabError("wrong password accepted")
    except poplib.error_proto:
        pass
    p.close()
    log("pop3: wrong password refused")

    p = poplib.POP3(host, port, timeout=TIMEOUT)
    p.user(user)
    p.pass_(password)
    count, _ = p.stat()
    expect(count >= 1, "mailbox is empty")
    found = False
    for i in range(1, count + 1):
        _, lines, _ = p.retr(i)
        if b"Subject: " + token.encode() in lines:
            found = True
    p.quit()
    expect(found, "no message with subject %s among %d" % (token, count))
    log("pop3: logged in, %d message(s), found %s" % (count, token))


def imap(host, port, user, password, token):
    m = imaplib.IMAP4(host, port, timeout=TIMEOUT)
    try:
        m.login(user, password + "-wrong")
        raise LabError("wrong password accepted")
    except imaplib.IMAP4.error:
        pass
    m.logout()
    log("imap: wrong password refused")

    m = imaplib.IMAP4(host, port, timeout=TIMEOUT)
    m.login(user, password)
    typ, _ = m.select("INBOX", readonly=True)
    expect(typ == "OK", "SELECT INBOX: %s" % typ)
    typ, data = m.search(None, "SUBJECT", '"%s"' % token)
    expect(typ == "OK" and data[0].split(), "SEARCH found nothing: %r" % data)
    num = data[0].split()[0]
    typ, data = m.fetch(num, "(RFC822)")
    expect(typ == "OK", "FETCH: %s" % typ)
    expect(b"body of " + token.encode() in data[0][1], "FETCH body: %r" % data)
    m.logout()
    log("imap: logged in, message %s has %s" % (num.decode(), token))


# Access control -------------------------------------------------------------

def refused(host, port):
    """portierd accepts and closes at once: no greeting, no handler."""
    with socket.create_connection((host, port), TIMEOUT) as s:
        try:
            data = s.recv(1024)
        except ConnectionResetError:
            data = b""
    expect(data == b"", "%s port %d answered: %r" % (host, port, data))
    log("port %d: connection to %s closed unanswered" % (port, host))


COMMANDS = {
    "telnet": (telnet, 4),
    "ftp": (ftp, 6),
    "smtp": (smtp, 4),
    "pop3": (pop3, 5),
    "imap": (imap, 5),
    "refused": (refused, 2),
}


def main(argv):
    if len(argv) < 2 or argv[1] not in COMMANDS:
        sys.stderr.write(__doc__)
        return 2
    fn, nargs = COMMANDS[argv[1]]
    args = argv[2:]
    if len(args) != nargs:
        sys.stderr.write(__doc__)
        return 2
    args[1] = int(args[1])
    try:
        fn(*args)
    except (LabError, OSError, EOFError, ftplib.Error, poplib.error_proto,
        imaplib.IMAP4.error, smtplib.SMTPException) as e:
        sys.stderr.write("%s: FAIL: %s: %s\n" % (argv[1], type(e).__name__, e))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
