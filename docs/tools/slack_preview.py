#!/usr/bin/env python3
"""Render Slack Block Kit JSON as an HTML page that imitates Slack's message look.

This is for documentation pictures (scripts/docs_images.sh turns the page into
docs/images/slack-summary.png with headless Chromium). It is NOT Slack: it
covers the blocks and the mrkdwn the bot uses, closely enough to look right.

    python3 docs/tools/slack_preview.py blocks.json > page.html
    python3 docs/tools/slack_preview.py blocks.json --message summary --time "10:13 AM"

The input may be one message ({"blocks": [...]}), a list of blocks, a list of
messages, or an object of named messages ({"summary": {...}, "detail": {...}},
which is what `nr-analyzer trace ID --format blocks` prints).

Text in mrkdwn arrives escaped the way Slack sends it (&amp; &lt; &gt;). Those
entities stay entities; every other <, >, & and " is escaped here, so nothing
in the input can become live HTML.
"""
import argparse
import html
import json
import re
import sys
from itertools import groupby

BOT_NAME = "nr-analyzer"
AVATAR_COLOR = "#1d252c"  # background_color in slack-manifest.yaml

# The shortcodes the bot writes (grep src for '":'), plus a few common ones.
EMOJI = {
    "rotating_light": "\U0001F6A8", "x": "\u274C", "warning": "\u26A0\uFE0F",
    "hourglass": "\u231B", "mag": "\U0001F50D", "memo": "\U0001F4DD",
    "white_check_mark": "\u2705", "alarm_clock": "\u23F0", "fire": "\U0001F525",
    "chart_with_upwards_trend": "\U0001F4C8", "bulb": "\U0001F4A1", "tada": "\U0001F389",
    "red_circle": "\U0001F534", "large_green_circle": "\U0001F7E2", "eyes": "\U0001F440",
    "heavy_check_mark": "\u2714\uFE0F", "information_source": "\u2139\uFE0F",
}

_ENTITY_OR_SPECIAL = re.compile(r"&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});|[&<>\"]")
_EMOJI_CODE = re.compile(r":([a-z0-9_+-]+):")
_INLINE = re.compile(r"`([^`\n]+)`|<([^<>\n]+)>")
_QUOTE = re.compile(r"(?:&gt;|>) ?(.*)$")
_URL = re.compile(r"(?:https?://|mailto:)[^\s|\"']+$")


def esc(text):
    """Escape for HTML, keeping the entities Slack already put in (&lt; &gt; &amp;)."""
    text = re.sub(r"[\x00-\x08\x0b-\x1f]", "", text)
    return _ENTITY_OR_SPECIAL.sub(
        lambda m: m.group(0) if len(m.group(0)) > 1 else html.escape(m.group(0)), text)


def emoji(escaped):
    """:name: -> the Unicode emoji for the names we know; unknown ones stay text."""
    return _EMOJI_CODE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), escaped)


def _link(inner):
    """One Slack control sequence <...> (already escaped pieces) -> HTML."""
    target, _, label = inner.partition("|")
    if target[:1] == "@":
        return f'<span class="mention">@{esc(label or target[1:])}</span>'
    if target[:1] == "#":
        return f'<span class="mention">#{esc(label or target[1:])}</span>'
    if target[:1] == "!":
        return f'<span class="mention">@{esc(label or target[1:].split("^")[0])}</span>'
    if _URL.match(target):
        return f'<a href="{esc(target)}">{emoji(esc(label or target))}</a>'
    return esc(f"<{inner}>")  # not a control sequence Slack knows: literal text


def _emphasis(s):
    for mark, tag in (("*", "b"), ("_", "i"), ("~", "s")):
        m = re.escape(mark)
        s = re.sub(rf"(?<![\w{m}]){m}(?=\S)([^\n]*?\S){m}(?![\w{m}])",
                   rf"<{tag}>\1</{tag}>", s)
    return s


def inline(line):
    """One line of mrkdwn (no ``` blocks) -> HTML."""
    saved = []

    def keep(fragment):
        saved.append(fragment)
        return f"\x00{len(saved) - 1}\x00"

    line = line.replace("\x00", "")
    out, pos = [], 0
    for m in _INLINE.finditer(line):
        out.append(emoji(esc(line[pos:m.start()])))
        if m.group(1) is not None:
            out.append(keep(f'<code>{esc(m.group(1))}</code>'))
        else:
            out.append(keep(_link(m.group(2))))
        pos = m.end()
    out.append(emoji(esc(line[pos:])))
    result = _emphasis("".join(out))
    return re.sub(r"\x00(\d+)\x00", lambda m: saved[int(m.group(1))], result)


def _lines(text):
    """Plain lines -> HTML, with runs of '> ' lines as quotes."""
    out = []
    for quoted, run in groupby(text.split("\n"), key=lambda line: bool(_QUOTE.match(line))):
        if quoted:
            body = "<br>".join(inline(_QUOTE.match(line).group(1)) for line in run)
            out.append(f"<blockquote>{body}</blockquote>")
        else:
            out.append("<br>".join(inline(line) for line in run))
    return "".join(out)


def mrkdwn(text):
    """Slack mrkdwn (as Slack sends it) -> safe HTML."""
    parts = text.split("```")
    if len(parts) % 2 == 0:  # an unmatched ``` is just text
        parts[-2:] = [parts[-2] + "```" + parts[-1]]
    out = []
    for i, part in enumerate(parts):
        if i > 0:  # Slack drops the newlines next to ```
            part = part.removeprefix("\n")
        if i < len(parts) - 1:
            part = part.removesuffix("\n")
        if i % 2:
            out.append(f"<pre>{esc(part)}</pre>")
        elif part:
            out.append(_lines(part))
    return "".join(out)


def text_obj(obj):
    """A Block Kit text object (plain_text or mrkdwn) -> HTML."""
    if not obj:
        return ""
    if obj.get("type") == "mrkdwn":
        return mrkdwn(obj.get("text", ""))
    return emoji(esc(obj.get("text", ""))).replace("\n", "<br>")


def element(el):
    """Interactive elements and images inside actions, accessories, context."""
    kind = el.get("type")
    if kind == "button":
        return f'<span class="btn {esc(str(el.get("style", "")))}">{text_obj(el.get("text"))}</span>'
    if kind == "image":
        return image(el.get("image_url", ""), el.get("alt_text", ""), small=True)
    if kind in ("mrkdwn", "plain_text"):
        return f"<span>{text_obj(el)}</span>"
    label = text_obj(el.get("placeholder")) or esc(kind or "element")
    return f'<span class="btn select">{label} \u25BE</span>'


def image(url, alt, small=False):
    cls = "img small" if small else "img"
    local = url and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", url)
    if local or url.startswith(("file:", "data:image/")):
        return f'<img class="{cls}" src="{esc(url)}" alt="{esc(alt)}">'
    return f'<div class="{cls} placeholder">\U0001F5BC {esc(alt or "image")}</div>'


RICH_STYLE = (("code", "code"), ("bold", "b"), ("italic", "i"), ("strike", "s"))


def rich(el):
    """rich_text and its children -> HTML."""
    kind = el.get("type")
    kids = "".join(rich(e) for e in el.get("elements", []))
    if kind in ("rich_text", "rich_text_section"):
        return f"<div>{kids}</div>" if kind == "rich_text" else kids
    if kind == "rich_text_list":
        tag = "ol" if el.get("style") == "ordered" else "ul"
        items = "".join(f"<li>{rich(e)}</li>" for e in el.get("elements", []))
        return f'<{tag} style="margin-left:{24 * int(el.get("indent", 0))}px">{items}</{tag}>'
    if kind == "rich_text_preformatted":
        return f"<pre>{kids}</pre>"
    if kind == "rich_text_quote":
        return f"<blockquote>{kids}</blockquote>"
    if kind == "text":
        out = html.escape(el.get("text", ""), quote=True).replace("\n", "<br>")
    elif kind == "link":
        url = el.get("url", "")
        label = html.escape(el.get("text") or url)
        out = f'<a href="{html.escape(url)}">{label}</a>' if _URL.match(url) else label
    elif kind == "emoji":
        out = EMOJI.get(el.get("name", ""), f':{html.escape(el.get("name", ""))}:')
    elif kind in ("user", "usergroup"):
        out = f'<span class="mention">@{html.escape(el.get("user_id") or el.get("usergroup_id", ""))}</span>'
    elif kind == "channel":
        out = f'<span class="mention">#{html.escape(el.get("channel_id", ""))}</span>'
    else:
        return kids
    for key, tag in RICH_STYLE:
        if el.get("style", {}).get(key):
            out = f"<{tag}>{out}</{tag}>"
    return out


def block(b):
    kind = b.get("type")
    if kind == "header":
        return f'<div class="header">{text_obj(b.get("text"))}</div>'
    if kind == "section":
        body = f'<div class="text">{text_obj(b.get("text"))}</div>' if b.get("text") else ""
        if b.get("fields"):
            body += '<div class="fields">' + "".join(
                f"<div>{text_obj(f)}</div>" for f in b["fields"]) + "</div>"
        acc = f'<div class="accessory">{element(b["accessory"])}</div>' if b.get("accessory") else ""
        return f'<div class="section"><div class="main">{body}</div>{acc}</div>'
    if kind == "context":
        return '<div class="context">' + "".join(element(e) for e in b.get("elements", [])) + "</div>"
    if kind == "divider":
        return "<hr>"
    if kind == "image":
        title = f'<div class="imgtitle">{text_obj(b["title"])}</div>' if b.get("title") else ""
        return f'<div class="imageblock">{title}{image(b.get("image_url", ""), b.get("alt_text", ""))}</div>'
    if kind == "actions":
        return '<div class="actions">' + "".join(element(e) for e in b.get("elements", [])) + "</div>"
    if kind == "rich_text":
        return f'<div class="rich">{rich(b)}</div>'
    return f'<div class="context">[{esc(str(kind))} block not shown]</div>'


def messages(doc, only=None):
    """The messages of any of the accepted shapes, as (name, blocks) pairs."""
    if isinstance(doc, dict) and "blocks" in doc:
        found = [("", doc["blocks"])]
    elif isinstance(doc, dict):
        found = [(k, v.get("blocks", [])) for k, v in doc.items() if isinstance(v, dict)]
    elif doc and all(isinstance(m, dict) and "blocks" in m for m in doc):
        found = [(str(i), m["blocks"]) for i, m in enumerate(doc)]
    else:
        found = [("", doc)]
    if only is not None:
        found = [m for m in found if m[0] == only]
        if not found:
            sys.exit(f"slack_preview: no message named {only!r} in the input")
    return found


CSS = """
body { margin: 0; background: #fff; width: 760px; color: #1d1c1d; -webkit-font-smoothing: antialiased;
  font: 15px/1.46668 Lato, "Slack-Lato", "Helvetica Neue", Helvetica, Arial, sans-serif; }
.msg { display: flex; padding: 8px 20px 12px; } .content { flex: 1; min-width: 0; overflow-wrap: anywhere; }
.avatar { flex: none; width: 36px; height: 36px; border-radius: 6px; margin: 4px 8px 0 0;
  background: %s; color: #fff; font: 800 14px/36px Lato, sans-serif; text-align: center; }
.badge { font-size: 10px; font-weight: 700; padding: 1px 3px; border-radius: 2px; margin: 0 4px;
  background: rgba(29,28,29,.13); color: rgba(29,28,29,.7); vertical-align: 2px; }
.time { font-size: 12px; color: #616061; } b { font-weight: 900; } a { color: #1264a3; text-decoration: none; }
.header { font-size: 18px; font-weight: 900; line-height: 1.33; margin: 6px 0 2px; }
.section { display: flex; gap: 12px; margin: 4px 0 8px; } .main { flex: 1; min-width: 0; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; margin-top: 4px; }
code, pre { font: 12px/1.5 Monaco, Menlo, Consolas, "DejaVu Sans Mono", monospace;
  background: rgba(29,28,29,.04); border: 1px solid rgba(29,28,29,.13); border-radius: 3px; }
code { color: #e01e5a; padding: 2px 3px 1px; }
pre { margin: 4px 0; border-radius: 4px; padding: 8px; white-space: pre-wrap; }
blockquote { margin: 0; padding-left: 16px; border-left: 4px solid #ddd; }
.context { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; font-size: 13px;
  line-height: 1.38; color: #616061; margin: 4px 0; } .context code { font-size: 11px; }
hr { border: 0; border-top: 1px solid #ddd; margin: 12px 0; }
.mention { color: #1264a3; background: rgba(29,155,209,.1); border-radius: 3px; padding: 0 2px; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 4px; }
.btn { display: inline-block; height: 28px; line-height: 26px; padding: 0 12px; box-sizing: border-box;
  border: 1px solid rgba(29,28,29,.3); border-radius: 4px; font-size: 13px; font-weight: 700;
  color: #1d1c1d; background: #fff; white-space: nowrap; }
.btn.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.btn.danger { border-color: #e01e5a; color: #e01e5a; }
.img { display: block; max-width: 360px; border-radius: 8px; margin: 4px 0; }
.img.placeholder { width: 360px; height: 120px; display: flex; align-items: center; padding: 8px;
  justify-content: center; text-align: center; box-sizing: border-box; background: #f8f8f8;
  border: 1px solid #ddd; color: #616061; font-size: 13px; }
.img.small { display: inline-block; width: 20px; height: 20px; border-radius: 4px; padding: 0; font-size: 0; }
.imgtitle { font-size: 13px; color: #616061; } .rich ul, .rich ol { margin: 0; padding-left: 22px; }
""" % AVATAR_COLOR

MEASURE = ("<script>document.documentElement.setAttribute('data-height',"
           " Math.ceil(document.body.getBoundingClientRect().height));</script>")


def page(doc, only=None, time="", measure=False):
    posts = []
    for _, blocks in messages(doc, only):
        stamp = f' <span class="time">{esc(time)}</span>' if time else ""
        posts.append(
            '<div class="msg"><div class="avatar">nr</div><div class="content">'
            f'<div class="who"><b>{BOT_NAME}</b><span class="badge">APP</span>{stamp}</div>'
            + "".join(block(b) for b in blocks) + "</div></div>")
    return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>{BOT_NAME} (Slack look-alike)</title><style>{CSS}</style></head>\n<body>"
            + "\n".join(posts) + (MEASURE if measure else "") + "</body></html>\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("json", help="Block Kit JSON file, or - for stdin")
    ap.add_argument("--message", help="only the message with this name (e.g. summary)")
    ap.add_argument("--time", default="", help="time shown next to the bot name")
    ap.add_argument("--measure", action="store_true",
                    help="add a script that writes the page height to <html data-height>")
    args = ap.parse_args(argv)
    with (sys.stdin if args.json == "-" else open(args.json, encoding="utf-8")) as f:
        doc = json.load(f)
    sys.stdout.write(page(doc, args.message, args.time, args.measure))


if __name__ == "__main__":
    main()
