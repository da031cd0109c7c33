"""Tests of docs/tools/slack_preview.py (run from the repo root):

    python3 -m unittest docs/tools/test_slack_preview.py
"""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slack_preview as sp  # noqa: E402


class Mrkdwn(unittest.TestCase):
    def test_bold_italic_strike(self):
        self.assertEqual(sp.mrkdwn("*a b* _c_ ~d~"), "<b>a b</b> <i>c</i> <s>d</s>")

    def test_no_emphasis_inside_words_or_code(self):
        self.assertEqual(sp.mrkdwn("snake_case_name 2*3*4"), "snake_case_name 2*3*4")
        self.assertEqual(sp.mrkdwn("`*not bold* _x_`"), "<code>*not bold* _x_</code>")

    def test_bold_around_code(self):
        self.assertEqual(sp.mrkdwn("*`svc` · `op`*"),
                         "<b><code>svc</code> · <code>op</code></b>")

    def test_code_and_pre(self):
        self.assertEqual(sp.mrkdwn("run `a &lt; b`"), "run <code>a &lt; b</code>")
        self.assertEqual(sp.mrkdwn("x\n```\n  a *b*\n  c\n```\ny"),
                         "x<pre>  a *b*\n  c</pre>y")

    def test_links(self):
        self.assertEqual(sp.mrkdwn("<https://e.x/a?b=1&amp;c=2|the *label*>"),
                         '<a href="https://e.x/a?b=1&amp;c=2">the *label*</a>')
        self.assertEqual(sp.mrkdwn("<https://e.x>"), '<a href="https://e.x">https://e.x</a>')
        self.assertEqual(sp.mrkdwn("<javascript:alert(1)|x>"), "&lt;javascript:alert(1)|x&gt;")
        self.assertIn("@U123", sp.mrkdwn("<@U123>"))
        self.assertIn("#general", sp.mrkdwn("<#C1|general>"))

    def test_entities_stay_entities(self):
        self.assertEqual(sp.mrkdwn("a &lt;id&gt; &amp; b"), "a &lt;id&gt; &amp; b")
        self.assertEqual(sp.mrkdwn("&amp;lt;"), "&amp;lt;")  # no double escape, no unescape

    def test_bare_specials_are_escaped(self):
        self.assertEqual(sp.mrkdwn('say "hi" & <b>'), "say &quot;hi&quot; &amp; &lt;b&gt;")

    def test_script_never_becomes_a_tag(self):
        for text in ("<script>alert(1)</script>", "`<script>`", "```<script>```",
                     "*<script>*", "<https://x.y|<script>>", "&lt;script&gt;",
                     '<https://x.y/"><script>|x>', ":x: <img src=x onerror=alert(1)>"):
            out = sp.mrkdwn(text)
            self.assertNotRegex(out, r"<\s*(script|img)", text)
            self.assertNotIn('"><', out, text)
        page = sp.page({"blocks": [{"type": "header", "text": {
            "type": "plain_text", "text": "</title><script>x</script>"}}]})
        self.assertNotIn("<script>x", page)

    def test_newlines_quotes_emoji(self):
        self.assertEqual(sp.mrkdwn("a\nb"), "a<br>b")
        self.assertEqual(sp.mrkdwn("&gt; q1\n&gt; q2\nafter"),
                         "<blockquote>q1<br>q2</blockquote>after")
        self.assertEqual(sp.mrkdwn(":rotating_light: *origin* :no_such_emoji:"),
                         "\U0001F6A8 <b>origin</b> :no_such_emoji:")
        self.assertEqual(sp.mrkdwn("at 10:13:10.840"), "at 10:13:10.840")
        self.assertEqual(sp.mrkdwn("`:x:`"), "<code>:x:</code>")


class Blocks(unittest.TestCase):
    DOC = {"summary": {"text": "fallback", "blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": "POST /x · 2 s", "emoji": True}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Suspect*: `svc`"},
         "fields": [{"type": "mrkdwn", "text": "*Spans*\n19"}]},
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Trace `abc`"}]},
        {"type": "image", "image_url": "https://e.x/w.png", "alt_text": "waterfall"},
        {"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": "Full waterfall"}},
            {"type": "button", "style": "primary", "text": {"type": "plain_text", "text": "Go"}}]},
        {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": [
            {"type": "text", "text": "<rich>", "style": {"bold": True}}]}]},
    ]}, "detail": {"blocks": [{"type": "divider"}]}}

    def test_document(self):
        out = sp.page(self.DOC, only="summary", time="10:13 AM")
        self.assertIn('<div class="header">POST /x · 2 s</div>', out)
        self.assertIn("<b>Suspect</b>: <code>svc</code>", out)
        self.assertIn('<div class="fields"><div><b>Spans</b><br>19</div></div>', out)
        self.assertIn("<hr>", out)
        self.assertIn('<div class="context"><span>Trace <code>abc</code></span></div>', out)
        self.assertIn('class="img placeholder"', out)
        self.assertIn("waterfall</div>", out)
        self.assertNotIn("https://e.x/w.png", out)  # remote images are not fetched
        self.assertIn('<span class="btn ">Full waterfall</span>', out)
        self.assertIn('<span class="btn primary">Go</span>', out)
        self.assertIn("<b>&lt;rich&gt;</b>", out)
        self.assertIn("<b>nr-analyzer</b>", out)
        self.assertIn('<span class="badge">APP</span>', out)
        self.assertIn("10:13 AM", out)
        self.assertEqual(out.count('class="msg"'), 1)

    def test_shapes(self):
        blocks = [{"type": "divider"}]
        self.assertEqual(len(sp.messages({"blocks": blocks})), 1)
        self.assertEqual(len(sp.messages(blocks)), 1)
        self.assertEqual(len(sp.messages([{"blocks": blocks}, {"blocks": blocks}])), 2)
        self.assertEqual([n for n, _ in sp.messages(self.DOC)], ["summary", "detail"])

    def test_measure_script_only_when_asked(self):
        self.assertNotIn("<script", sp.page(self.DOC))
        self.assertEqual(len(re.findall("<script", sp.page(self.DOC, measure=True))), 1)


if __name__ == "__main__":
    unittest.main()
