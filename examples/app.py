"""A small Flask service with the kinds of defects secreview reports."""
import os
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    cmd = "ping -c 1 " + host
    out = subprocess.check_output(cmd, shell=True)
    return out


@app.route("/uptime")
def uptime():
    return subprocess.check_output(["uptime"])


def cleanup(path):
    os.system("rm -rf " + path)
