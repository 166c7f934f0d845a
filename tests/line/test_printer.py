"""Raw TCP 9100 printing: one connection per job, exact bytes, retries, a report."""

from __future__ import annotations

import json
import socket

import pytest

from codegen.printer import PrinterAddress, PrinterUnavailable, send_job
from trace.cli.main import main
from trace.errors import InvalidInput
from support.tcp_sink import TcpSink

JOB = b"^XA\n^FO10,10^FDone^FS\n^XZ\n^XA\n^FO10,10^FDtwo\xc3\xa9^FS\n^XZ\n"


def test_the_sink_receives_exactly_the_bytes_in_one_connection() -> None:
    with TcpSink() as sink:
        report = send_job(sink.address, JOB)
    assert sink.jobs == [JOB]
    assert (report.printer, report.labels, report.bytes, report.attempts) == (sink.address, 2, len(JOB), 1)


def _free_port() -> int:
    with socket.socket() as probe:  # a port that was free a moment ago: connection refused
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_refused_connection_is_retried_with_backoff() -> None:
    port = _free_port()
    waits: list[float] = []
    sinks: list[TcpSink] = []

    def wait(seconds: float) -> None:  # the printer comes up during the second wait
        waits.append(seconds)
        if len(waits) == 2:
            sinks.append(TcpSink(port=port))

    report = send_job(f"tcp://127.0.0.1:{port}", JOB, backoff=0.25, sleep=wait)
    sinks[0].close()
    assert sinks[0].jobs == [JOB]
    assert report.attempts == 3
    assert waits == [0.25, 0.5]


def test_a_printer_that_never_answers_is_reported() -> None:
    port = _free_port()
    with pytest.raises(PrinterUnavailable, match=rf"cannot print to tcp://127.0.0.1:{port}: .*ConnectionRefusedError after 3 attempts"):
        send_job(f"tcp://127.0.0.1:{port}", JOB, attempts=3, sleep=lambda s: None)


@pytest.mark.parametrize("text", ["http://p:9100", "tcp://", "tcp://p:99999", "p:9100"])
def test_bad_printer_addresses_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="expected tcp://HOST"):
        PrinterAddress.parse(text)


def test_print_command_reports_what_was_sent(tmp_path, capsys) -> None:
    path = tmp_path / "labels.zpl"
    path.write_bytes(JOB)
    with TcpSink() as sink:
        assert main(["print", "--printer", sink.address, str(path)]) == 0
    assert sink.jobs == [JOB]
    assert json.loads(capsys.readouterr().out) == {"printer": sink.address, "labels": 2, "bytes": len(JOB), "attempts": 1}
