"""A QR login step by step (issue 6: where a login's CPU goes): ``SESSIONS`` QR sessions opened,
then all scanned, then all confirmed, then each token collected (``wait=5``), 16 clients, on
the platform with one gateway and one identity process, then with two of each; the CPU each
step cost by process (the load generator's own included), two rounds of each.

The e-SSC is played in process with the platform's development key, as in ``logins.py``."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from logins import LIMITS_OFF, PEOPLE, Client, Essc, load_generator_cpu, register_all
from procs import scaled
from running_platform import Platform, cpu_per_operation, enterprises

SESSIONS = scaled(1500)
CLIENTS = 16
STEPS = ("open", "scan", "confirm", "token")


class Steps:
    def __init__(self, platform, people):
        self.platform, self.people = platform, people
        self.essc = Essc(platform.tmp / "essc")
        self._local = threading.local()

    def client(self):
        if not hasattr(self._local, "client"):  # one keep-alive connection per load thread
            self._local.client = Client(self.platform.port)
        return self._local.client

    def open(self, k):
        status, opened = self.client().call("POST", "/api/v1/auth/qr-sessions", {"role": "legal"})
        assert status == 201, opened
        return opened, self.people[k % len(self.people)]

    def report(self, act):
        def send(login):
            opened, person = login
            body = {"assertion": self.essc.assertion(act, opened["qr_id"], *person)}
            status, view = self.client().call("POST", "/api/v1/essc/assertions", body)
            assert status == 200, view
            return login

        return send

    def token(self, login):
        opened, _ = login
        path = f"/api/v1/auth/qr-sessions/{opened['qr_id']}?wait=5"
        status, view = self.client().call("GET", path, headers={"X-QR-Binding": opened["binding"]})
        assert status == 200 and "token" in view, view
        return login

    def run(self, step, items):
        """(the step's results, per second, CPU µs a login by process)."""
        before, here = self.platform.cpu_by_process(), load_generator_cpu()
        started = time.monotonic()
        with ThreadPoolExecutor(CLIENTS) as pool:
            results = list(pool.map(step, items))
        elapsed = time.monotonic() - started
        after = self.platform.cpu_by_process()
        cpu = cpu_per_operation(before, after, len(items), unit=1e6)
        cpu["load generator"] = (load_generator_cpu() - here) * 1e6 / len(items)
        return results, len(items) / elapsed, cpu


def measure(replicas, port):
    records = list(enterprises(PEOPLE))
    people = [(r["legal_rep_id"], r["legal_rep_name"]) for r in records]
    rounds = []
    with Platform(records, port, replicas, env=LIMITS_OFF) as platform:
        register_all(platform, records)
        time.sleep(2)  # every EnterpriseRegistered reached the membership read model
        steps = Steps(platform, people)
        for _ in range(2):
            logins = list(range(SESSIONS))
            figures = {}
            for name, step in zip(
                STEPS, (steps.open, steps.report("scan"), steps.report("confirm"), steps.token), strict=True
            ):
                logins, rate, cpu = steps.run(step, logins)
                figures[name] = (rate, cpu)
            rounds.append(figures)
    return rounds


def main():
    shown = ("identity", "gateway", "rabbitmq", "postgres", "redis", "load generator")
    print(f"\n## A QR login step by step ({SESSIONS} sessions a step, {CLIENTS} clients; CPU µs a login)\n")
    print("| processes | step | per s | " + " / ".join(shown) + " | in all |")
    print("|---|---|---|---|---|")
    for label, replicas, port in (("1 and 1", {}, 18085), ("2 and 2", {"identity": 2, "gateway": 2}, 18086)):
        for figures in measure(replicas, port):
            total = 0.0
            for name in STEPS:
                rate, cpu = figures[name]
                total += sum(cpu.values())
                spent = " / ".join(f"{cpu.get(process, 0.0):.0f}" for process in shown)
                print(f"| {label} | {name} | {rate:.0f} | {spent} | {sum(cpu.values()):.0f} |")
            print(f"| {label} | a login | | | {total / 1000:.1f} ms |")


if __name__ == "__main__":
    main()
