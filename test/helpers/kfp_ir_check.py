"""Parses a KFP PipelineSpec (JSON on stdin) strictly against pipeline_spec.proto.

Usage: /usr/bin/python3 kfp_ir_check.py PROTO_DIR < spec.json
Prints `ok` and exits 0, or prints the first problem and exits 1. Needs Debian's protobuf-compiler,
libprotobuf-dev, golang-github-grpc-ecosystem-grpc-gateway-dev and python3-protobuf.
"""
import json
import os
import subprocess
import sys
import tempfile

GOOGLEAPIS = "/usr/share/gocode/src/github.com/grpc-ecosystem/grpc-gateway/third_party/googleapis"


def main() -> int:
    proto_dir = sys.argv[1]
    spec = json.load(sys.stdin)
    with tempfile.TemporaryDirectory() as out:
        includes = [f"-I{proto_dir}", "-I/usr/include", f"-I{GOOGLEAPIS}"]
        subprocess.run(["protoc", *includes, f"--python_out={out}", "google/rpc/status.proto"], check=True)
        subprocess.run(["protoc", *includes, f"--python_out={out}", "pipeline_spec.proto"], check=True)
        sys.path.insert(0, out)
        import pipeline_spec_pb2 as ir  # noqa: E402
        from google.protobuf import json_format  # noqa: E402

        try:
            json_format.ParseDict(spec, ir.PipelineSpec(), ignore_unknown_fields=False)
            json_format.ParseDict(spec.get("deploymentSpec", {}), ir.PipelineDeploymentConfig(), ignore_unknown_fields=False)
        except json_format.ParseError as error:
            print(error)
            return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
