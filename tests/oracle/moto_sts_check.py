"""Runs brock's StsMotoTest driver against moto (see moto_sts_fixture.py). Exit 0 pass, 1 fail."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from moto_sts_fixture import MotoSts  # noqa: E402


def main():
    binary = sys.argv[1]
    with MotoSts() as moto:
        # boto3 itself is accepted with the same keys: the fixture is sound.
        ident = moto.client("sts", moto.key_id, moto.secret).get_caller_identity()
        assert ident["Arn"].endswith(":user/brock-tester"), ident
        env = dict(os.environ, **moto.env())
        run = subprocess.run([binary, "--gtest_filter=StsMotoTest.*", "--gtest_brief=0"],
                             env=env, capture_output=True, text=True, timeout=120)
        print(run.stdout[-6000:])
        print(run.stderr[-2000:], file=sys.stderr)
        if run.returncode != 0:
            print("FAIL: brock's STS calls were not all accepted by moto")
            return 1
        if "SKIPPED" in run.stdout or not re.search(r"\[  PASSED  \] 5 tests", run.stdout):
            print("FAIL: the moto driver did not run all 5 tests")
            return 1
    print("PASS: moto accepted brock's signed AssumeRole / GetCallerIdentity calls (5 checks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
