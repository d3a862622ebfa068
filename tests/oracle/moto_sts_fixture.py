"""A moto STS/IAM server on 127.0.0.1 with IAM authentication enforced, for brock's oracles.

Creates, before enforcement starts:
  user brock-tester   (access key; may call sts:AssumeRole)
  user brock-denied   (access key; no permissions at all)
  role brock-role     (trusted by brock-tester, external id "brock-external"; may assume roles)
  role brock-role-2   (trusted by brock-role sessions named "mid-session")
then POSTs /moto-api/reset-auth 0 so every later request must carry a valid SigV4 signature
from a known key, be allowed by the caller's policies and, for AssumeRole, by the role's trust
policy. Never talks to anything but 127.0.0.1.
"""
import json
import logging
import socket
import urllib.request

import boto3
from moto.server import ThreadedMotoServer


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class MotoSts:
    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)

    def __enter__(self):
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self.server.start()
        self._setup()
        return self

    def __exit__(self, *exc):
        self.server.stop()

    def client(self, service, key="setup", secret="setup", token=None):
        return boto3.client(service, endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id=key, aws_secret_access_key=secret,
                            aws_session_token=token)

    def _setup(self):
        iam = self.client("iam")
        user = iam.create_user(UserName="brock-tester")["User"]
        key = iam.create_access_key(UserName="brock-tester")["AccessKey"]
        iam.put_user_policy(UserName="brock-tester", PolicyName="assume", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
        iam.create_user(UserName="brock-denied")
        denied = iam.create_access_key(UserName="brock-denied")["AccessKey"]
        role = iam.create_role(RoleName="brock-role", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": user["Arn"]}, "Action": "sts:AssumeRole",
                           "Condition": {"StringEquals": {"sts:ExternalId": "brock-external"}}}]}))["Role"]
        iam.put_role_policy(RoleName="brock-role", PolicyName="chain", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
        role2 = iam.create_role(RoleName="brock-role-2", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17",
            # moto matches the caller's ARN exactly: sessions of brock-role named "mid-session".
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {
                "AWS": role["Arn"].replace(":iam::", ":sts::").replace(":role/", ":assumed-role/") + "/mid-session"}}]}))["Role"]
        self.key_id, self.secret = key["AccessKeyId"], key["SecretAccessKey"]
        self.denied_key_id, self.denied_secret = denied["AccessKeyId"], denied["SecretAccessKey"]
        self.role_arn, self.role2_arn = role["Arn"], role2["Arn"]
        req = urllib.request.Request(self.url + "/moto-api/reset-auth", data=b"0", method="POST",
                                     headers={"Content-Type": "text/plain"})
        with urllib.request.urlopen(req, timeout=10) as r:
            assert r.status == 200
        # Enforcement must now be on: a wrong secret is refused.
        try:
            self.client("sts", self.key_id, self.secret + "x").get_caller_identity()
        except Exception as e:  # botocore ClientError
            assert "SignatureDoesNotMatch" in str(e) or "InvalidClientTokenId" in str(e), e
        else:
            raise AssertionError("moto accepted a wrong secret: IAM authentication is not enforced")

    def env(self):
        return {
            "BROCK_MOTO_URL": self.url,
            "BROCK_MOTO_KEY_ID": self.key_id,
            "BROCK_MOTO_SECRET": self.secret,
            "BROCK_MOTO_DENIED_KEY_ID": self.denied_key_id,
            "BROCK_MOTO_DENIED_SECRET": self.denied_secret,
            "BROCK_MOTO_ROLE_ARN": self.role_arn,
            "BROCK_MOTO_ROLE2_ARN": self.role2_arn,
        }
