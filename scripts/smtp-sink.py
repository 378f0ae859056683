#!/usr/bin/env python3
"""A throwaway SMTP server for the test run (aiosmtpd).

Every message it receives is written to FOLDER twice, before the server answers 250: raw
as NAME.eml, and decoded as NAME.json (envelope sender and recipients, From, To, Subject,
Message-ID, the content type, and the text and HTML bodies with plain newlines). So a
client that was told "sent" already finds the file. It listens on loopback, on a free port
unless --port says otherwise, and writes the port to PORT_FILE once it is listening.

usage: smtp-sink.py FOLDER PORT_FILE [--host 127.0.0.1] [--port 0]
"""
import argparse
import asyncio
import email
import email.policy
import json
import os
import uuid

from aiosmtpd.smtp import SMTP


def content(part):
    """A body part's text with the wire's CRLF line ends made plain newlines."""
    return part.get_content().replace("\r\n", "\n") if part is not None else None


def write_atomically(path, data):
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, "." + name + ".tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.rename(temporary, path)


class Sink:
    def __init__(self, folder):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "message_id": str(message["Message-ID"]),
            "content_type": message.get_content_type(),
            "text": content(text),
            "html": content(html),
        }
        name = uuid.uuid4().hex
        write_atomically(os.path.join(self.folder, name + ".eml"), raw)
        write_atomically(
            os.path.join(self.folder, name + ".json"),
            json.dumps(record, indent=1).encode(),
        )
        return "250 Message accepted for delivery"


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("port_file")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    handler = Sink(args.folder)
    server = await asyncio.get_running_loop().create_server(
        lambda: SMTP(handler, hostname="rota-test-sink"), host=args.host, port=args.port
    )
    port = server.sockets[0].getsockname()[1]
    write_atomically(args.port_file, str(port).encode())
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
