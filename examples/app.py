"""A small Flask account service with the kinds of defects secreview reports."""
import hashlib
import random
import sqlite3
import string
import subprocess

import requests
import yaml
from flask import Flask, request
from jinja2 import Environment, FileSystemLoader

app = Flask(__name__)
templates = Environment(loader=FileSystemLoader("templates"))

DB_PATH = "accounts.db"
PARTNER_API_TOKEN = "pk_live_51HyQ2eKq8vRm3TnZ7wXcB4d"


def db():
    return sqlite3.connect(DB_PATH)


@app.route("/users")
def find_user():
    name = request.args.get("name", "")
    cursor = db().cursor()
    cursor.execute(f"SELECT id, email FROM users WHERE name = '{name}'")
    return {"users": cursor.fetchall()}


@app.route("/register", methods=["POST"])
def register():
    password = request.form["password"]
    digest = hashlib.sha256(password.encode()).hexdigest()
    db().execute("INSERT INTO users (name, password_hash) VALUES (?, ?)", (request.form["name"], digest))
    return {"ok": True}


@app.route("/reset", methods=["POST"])
def reset_password():
    reset_token = "".join(random.choice(string.ascii_letters) for _ in range(24))
    db().execute("UPDATE users SET reset_token = ? WHERE email = ?", (reset_token, request.form["email"]))
    return {"sent": True}


@app.route("/settings", methods=["POST"])
def import_settings():
    settings = yaml.load(request.data, Loader=yaml.Loader)
    return templates.get_template("settings.html").render(settings=settings)


@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    return subprocess.check_output("ping -c 1 " + host, shell=True)


@app.route("/partner/<account>")
def partner_status(account):
    response = requests.get(
        f"https://partner.example.com/accounts/{account}",
        headers={"Authorization": f"Bearer {PARTNER_API_TOKEN}"},
        verify=False,
        timeout=10,
    )
    return response.json()


if __name__ == "__main__":
    app.run(debug=True)
