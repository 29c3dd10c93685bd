"""Reads feeds with rss2email in one `r2e run`, delivering to a maildir, and prints what the mails say as JSON, one object per URL.

Usage: reader-rss2email.py WORK_DIR URL...  (WORK_DIR holds the configuration, the feed data and the maildir)
"""
import email
import email.policy
import email.utils
import json
import mailbox
import os
import subprocess
import sys

work, urls = sys.argv[1], sys.argv[2:]
config = os.path.join(work, "r2e.cfg")
data = os.path.join(work, "r2e.json")
with open(config, "w") as f:
    # The Date header is the item's publication date ("issued", feedparser's published_parsed).
    f.write(
        "[DEFAULT]\n"
        "to = reader@example.org\n"
        "email-protocol = maildir\n"
        f"maildir-path = {work}\n"
        "maildir-mailbox = mail\n"
        "date-header = True\n"
        "date-header-order = issued\n"
        "use-8bit = True\n"
    )


def r2e(*args):
    return subprocess.run(["r2e", "-c", config, "-d", data, *args], capture_output=True, text=True, check=True)


for index, url in enumerate(urls):
    r2e("add", f"feed{index}", url)
log = r2e("run").stderr.splitlines()

mails = {url: [] for url in urls}
for message in mailbox.Maildir(os.path.join(work, "mail"), factory=None, create=False):
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    mails[str(parsed["X-RSS-Feed"])].append(
        {"subject": str(parsed["Subject"]).strip(), "link": str(parsed["X-RSS-URL"]).strip(), "date": email.utils.mktime_tz(email.utils.parsedate_tz(str(parsed["Date"])))}
    )
# r2e logs a line naming the feed as "(URL -> recipient)" for each error or warning.
problems = {url: [line for line in log if f"({url} ->" in line and ("[ERROR]" in line or "[WARNING]" in line)] for url in urls}
print(json.dumps([{"url": url, "problems": problems[url], "mails": mails[url]} for url in urls]))
