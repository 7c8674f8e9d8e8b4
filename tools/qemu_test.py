#!/usr/bin/env python3
"""Boot a Keel test image under QEMU and judge it.

The image runs under -icount shift=0,sleep=off,align=off (one guest instruction is one
nanosecond of virtual time, so runs repeat exactly) and ends QEMU through semihosting
SYS_EXIT_EXTENDED with its status. The image passes only if
  * QEMU exits with status 0 before the timeout,
  * the serial output ends its test cases with "ktest: N passed, 0 failed", and
  * it printed exactly N "KTEST <id> PASS" lines, with no FAIL line.
A timeout or crash shows the tail of the output.

--expect-fail ID[,ID...]  inverts the verdict for a deliberately broken image: it passes
                          only if the run failed and exactly these cases failed.
--expect-timeout          passes only if the image hung and was stopped at the timeout.
"""
import argparse
import os
import re
import subprocess
import sys

CASE = re.compile(r"^KTEST (\S+) (PASS|FAIL) (.*)$")
SUMMARY = re.compile(r"^ktest: (\d+) passed, (\d+) failed$")


def qemu_command(image, extra, memory="128M"):
    return ["qemu-system-arm", "-M", "sabrelite", "-m", memory, "-smp", "1",
            "-display", "none", "-monitor", "none",
            "-serial", "null", "-serial", "stdio",
            "-icount", "shift=0,sleep=off,align=off",
            "-semihosting", "-no-reboot",
            "-kernel", image] + extra


def run(image, timeout, extra, memory):
    """Returns (status or None on timeout, output text)."""
    proc = subprocess.Popen(qemu_command(image, extra, memory), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        out, _ = proc.communicate(timeout=timeout)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        status = None
    return status, out.decode("utf-8", "replace").replace("\r\n", "\n")


def judge(status, text):
    """Returns (ok, failed case ids, problems)."""
    problems = []
    passed, failed = [], []
    summary = None
    for line in text.splitlines():
        m = CASE.match(line)
        if m:
            (passed if m.group(2) == "PASS" else failed).append(m.group(1))
        m = SUMMARY.match(line)
        if m:
            summary = (int(m.group(1)), int(m.group(2)))
    if status is None:
        problems.append("timed out")
    elif status != 0:
        problems.append("QEMU exit status %d" % status)
    if summary is None:
        problems.append("no summary line")
    elif summary != (len(passed), len(failed)):
        problems.append("summary %s does not match %d PASS and %d FAIL lines"
                        % (summary, len(passed), len(failed)))
    if failed:
        problems.append("failed: " + ", ".join(failed))
    if not passed and not failed:
        problems.append("no test case ran")
    ids = passed + failed
    if len(set(ids)) != len(ids):
        problems.append("duplicate test IDs")
    return not problems, failed, problems


def tail(text, n=40):
    lines = text.splitlines()
    return "\n".join(lines[-n:])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("image")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--expect-fail", default=None)
    ap.add_argument("--expect-timeout", action="store_true")
    ap.add_argument("--memory", default="128M", help="guest RAM (QEMU -m)")
    ap.add_argument("--quiet", action="store_true", help="print only case lines and verdict")
    ap.add_argument("qemu_args", nargs="*", help="extra QEMU arguments (after --)")
    a = ap.parse_args()

    if not os.path.exists(a.image):
        print("qemu_test: no image %s" % a.image)
        return 2
    status, text = run(a.image, a.timeout, a.qemu_args, a.memory)
    ok, failed, problems = judge(status, text)

    if a.expect_timeout:
        print(tail(text, 10))
        if status is None:
            print("qemu_test: PASS (the hung image was stopped at its %gs timeout)" % a.timeout)
            return 0
        print("qemu_test: FAIL (expected a hang, QEMU exited with %s)" % status)
        return 1

    shown = text if not a.quiet else "\n".join(
        l for l in text.splitlines() if CASE.match(l) or SUMMARY.match(l) or l.startswith("  "))
    print(shown)
    if a.expect_fail is not None:
        want = sorted(x for x in a.expect_fail.split(",") if x)
        if not ok and status not in (None, 0) and sorted(failed) == want:
            print("qemu_test: PASS (the broken image failed as expected: %s)" % ", ".join(want))
            return 0
        print("qemu_test: FAIL (expected exactly %s to fail; got ok=%s, failed=%s, status=%s)"
              % (want, ok, failed, status))
        return 1
    if ok:
        print("qemu_test: PASS")
        return 0
    if status is None:
        print("qemu_test: FAIL: timed out after %gs; last output:\n%s" % (a.timeout, tail(text)))
    else:
        print("qemu_test: FAIL: " + "; ".join(problems))
    return 1


if __name__ == "__main__":
    sys.exit(main())
