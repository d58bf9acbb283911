"""make bench-net's script (scripts/bench_net.py) without booting.

The measurements run against echo servers in this process on 127.0.0.1
(one that answers everything, one that drops some datagrams, one that
changes a byte), to check that echoes are counted, losses found without
waiting out the time-out where a later echo shows them, and a changed
echo never taken for a good one. Also: the order Debian's modules are
loaded in (dependencies first, built-in ones left out) from fake module
files, the initramfs's contents, and the table with and without Linux.
The boots themselves are left to `make bench-net`.
"""

import socket
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import bench_net  # noqa: E402


class EchoServer:
    """Echoes datagrams on 127.0.0.1; `change(number, data)` decides what
    goes back (None: nothing)."""

    def __init__(self, change=lambda number, data: data):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.change = change
        self.stopping = False
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping = True
        self.thread.join(2)
        self.sock.close()

    def _serve(self):
        number = 0
        while not self.stopping:
            try:
                data, peer = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            back = self.change(number, data)
            number += 1
            if back is not None:
                self.sock.sendto(back, peer)


@pytest.fixture
def client_of():
    clients = []

    def make(server):
        clients.append(bench_net.EchoClient(server.port))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


def test_datagrams_carry_their_number_and_differ():
    first, second = bench_net.datagram(0, 64), bench_net.datagram(1, 64)
    assert len(first) == 64 and len(bench_net.datagram(7, 1472)) == 1472
    assert bench_net.sequence_of(second) == 1
    assert first[8:] != second[8:]


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert bench_net.percentile(values, 0.5) == 50
    assert bench_net.percentile(values, 0.99) == 99
    assert bench_net.percentile([5], 0.99) == 5


def test_round_trips_all_echoed(client_of):
    with EchoServer() as server:
        result = bench_net.measure_round_trips(client_of(server), 64, 50)
    assert result["echoed"] == 50
    assert (result["lost"], result["stray"], result["corrupt"]) == (0, 0, 0)
    assert 0 < result["median_us"] <= result["p99_us"]


def test_round_trips_count_a_drop_as_lost(client_of):
    with EchoServer(lambda n, data: None if n == 3 else data) as server:
        result = bench_net.measure_round_trips(client_of(server), 64, 10, timeout=0.2)
    assert (result["echoed"], result["lost"]) == (9, 1)


def test_throughput_counts_every_echo(client_of):
    with EchoServer() as server:
        result = bench_net.measure_throughput(client_of(server), 1472, 500, 16)
    assert result["echoed"] == 500
    assert (result["lost"], result["stray"], result["corrupt"]) == (0, 0, 0)
    assert result["per_second"] > 0


def test_throughput_finds_losses_from_later_echoes(client_of):
    # Every fifth dropped, the last one echoed: each drop is overtaken by
    # a later echo, so the run ends long before nine time-outs of 5 s.
    with EchoServer(lambda n, data: None if n % 5 == 4 else data) as server:
        result = bench_net.measure_throughput(client_of(server), 64, 49, 8, timeout=5.0)
    assert (result["echoed"], result["lost"], result["stray"]) == (40, 9, 0)


def test_throughput_never_takes_a_changed_echo(client_of):
    def change(number, data):
        return data[:20] + bytes([data[20] ^ 1]) + data[21:] if number == 7 else data

    with EchoServer(change) as server:
        result = bench_net.measure_throughput(client_of(server), 64, 30, 4)
    assert (result["echoed"], result["corrupt"]) == (29, 1)


def _fake_module(directory, name, depends):
    path = directory / f"{name}.ko"
    path.write_bytes(b"\x7fELF...\0license=GPL\0depends=" + depends.encode() + b"\0vermagic=6.1\0")
    return path


def test_modules_load_dependencies_first(tmp_path):
    kernel = tmp_path / "6.1.0-57-amd64" / "kernel"
    (kernel / "net").mkdir(parents=True)
    _fake_module(kernel / "net", "virtio_net", "virtio_ring,virtio,net_failover")
    _fake_module(kernel / "net", "net_failover", "failover")
    _fake_module(kernel / "net", "failover", "")
    _fake_module(kernel / "net", "virtio", "virtio_ring")
    _fake_module(kernel / "net", "virtio_ring", "")
    _fake_module(kernel / "net", "virtio_pci", "virtio_ring,virtio,virtio_pci_modern_dev")
    (tmp_path / "6.1.0-57-amd64" / "modules.builtin").write_text(
        "kernel/drivers/virtio/virtio_pci_modern_dev.ko\n")
    order = [p.stem for p in bench_net.module_load_order(tmp_path, ("virtio_pci", "virtio_net"))]
    assert order == ["virtio_ring", "virtio", "virtio_pci", "failover", "net_failover",
                     "virtio_net"]


def test_a_missing_module_is_an_error(tmp_path):
    _fake_module(tmp_path, "virtio_net", "virtio")
    with pytest.raises(bench_net.BenchError, match="virtio"):
        bench_net.module_load_order(tmp_path, ("virtio_net",))


def test_initramfs_holds_init_and_modules(tmp_path):
    echo = tmp_path / "udp_echo"
    echo.write_bytes(b"\x7fELF echo")
    modules = [_fake_module(tmp_path, "01-virtio_ring", "")]
    data = bench_net.write_linux_initramfs(tmp_path / "x.cpio", echo, modules).read_bytes()
    for name in (b"init\0", b"modules\0", b"modules/01-virtio_ring.ko\0", b"dev/console\0"):
        assert name in data
    assert b"\x7fELF echo" in data


def _figures(per_second, median, lost=0):
    flow = {"per_second": per_second, "lost": lost, "stray": 0, "corrupt": 0}
    return {"round_trip": {"median_us": median, "p99_us": median * 3, "lost": 0, "stray": 1,
                           "corrupt": 0},
            8: dict(flow, lost=0), 16: flow}


def _row(table, payload, label):
    for line in table.splitlines():
        if line.startswith(payload) and label in line:
            return line[line.index(label) + len(label):].split()
    raise AssertionError(f"no row {payload} {label}:\n{table}")


def test_table_with_linux_has_ratios():
    results = {("CambiOS", 64): _figures(5000, 400, lost=12),
               ("Linux 6.1", 64): _figures(10000, 200)}
    table = bench_net.format_table("x86_64", ["CambiOS", "Linux 6.1"], results, sizes=(64,))
    assert _row(table, "64 B", "echoes/s, 16 in flight") == ["5,000", "10,000", "0.50x"]
    assert _row(table, "64 B", "round trip, median (us)") == ["400", "200", "2.00x"]
    assert _row(table, "64 B", "round trip, p99 (us)") == ["1,200", "600", "2.00x"]
    assert _row(table, "64 B", "lost (8 / 16 in flight / 1 at a time)") == \
        ["0", "/", "12", "/", "0", "0", "/", "0", "/", "0"]
    assert _row(table, "64 B", "stray / corrupt") == ["1", "/", "0", "1", "/", "0"]
    assert "without -icount" in table
    assert not bench_net.any_corrupt(results)


def test_table_without_linux_has_one_column():
    results = {("CambiOS", 1472): _figures(3000, 500)}
    table = bench_net.format_table("aarch64", ["CambiOS"], results, sizes=(1472,))
    assert _row(table, "1,472 B", "echoes/s, 8 in flight") == ["3,000"]
    assert "Ratios" not in table and "Linux" not in table
