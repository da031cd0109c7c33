#!/usr/bin/env python3
"""Checks the documentation against the repository and the binary (ctest: docs.check).

1. Every relative link in README.md, docs/**/*.md, deploy/ and demo/ READMEs resolves: the file (or folder) exists, and a
   #fragment names a heading of the target page (GitHub's anchor rules). Links inside code blocks
   and code spans are not links.
2. Every command of the README's set-up section exists: scripts and files it runs are in the
   repository, `cmake --workflow --preset P` names a workflow preset of CMakePresets.json, and each
   `nr-analyzer SUBCOMMAND` is a subcommand of the binary's --help.
3. The pictures are not stale (scripts/docs_images.sh makes them): the binary still writes
   docs/images/waterfall.png byte for byte, and still prints the Block Kit JSON kept beside
   docs/images/slack-summary.png.

Usage: scripts/check_docs.py [--binary build/dev/nr-analyzer] (without --binary, parts 2 and 3
check the scripts and presets only). Exit 1 with one line per problem.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINK = re.compile(r"!?\[(?:[^\]\\\n]|\\.|\n(?!\n))*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^\s*(```|~~~)")
SETUP_HEADING = re.compile(r"^##\s+Set-up", re.IGNORECASE)


def markdown_files():
    files = [os.path.join(ROOT, name) for name in ("README.md", "deploy/README.md", "demo/README.md")]
    for folder, _, names in os.walk(os.path.join(ROOT, "docs")):
        files += [os.path.join(folder, n) for n in sorted(names) if n.endswith(".md")]
    return files


def prose_lines(text, blank_code_spans=True):
    """(line number, line) outside fenced code blocks, `code spans` blanked out unless asked."""
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, re.sub(r"`[^`]*`", "``", line) if blank_code_spans else line


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`([^`]*)`", r"\1", heading.strip()).lower()
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    seen, result = {}, set()
    with open(path, encoding="utf-8") as f:
        for _, line in prose_lines(f.read(), blank_code_spans=False):
            m = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
            if not m:
                continue
            base = slug(m.group(2))
            count = seen.get(base, 0)
            seen[base] = count + 1
            result.add(base if count == 0 else f"{base}-{count}")
    return result


def check_links(problems):
    cache = {}
    for page in markdown_files():
        with open(page, encoding="utf-8") as f:
            text = f.read()
        where = os.path.relpath(page, ROOT)
        # Whole prose text (a link's label may wrap onto the next lines), blank lines kept so
        # that a match's offset gives its line.
        lines = [""] * (text.count("\n") + 1)
        for number, line in prose_lines(text):
            lines[number - 1] = line
        prose = "\n".join(lines)
        for match in LINK.finditer(prose):
            target = match.group(1)
            number = prose.count("\n", 0, match.end()) + 1
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
                continue  # http:, https:, mailto: ... are not ours to check offline
            path, _, fragment = target.partition("#")
            resolved = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
            if not os.path.exists(resolved):
                problems.append(f"{where}:{number}: link to {target}: no such file")
                continue
            if fragment and resolved.endswith(".md"):
                if resolved not in cache:
                    cache[resolved] = anchors(resolved)
                if fragment.lower() not in cache[resolved]:
                    problems.append(
                        f"{where}:{number}: link to {target}: no heading #{fragment} in "
                        f"{os.path.relpath(resolved, ROOT)}")


def setup_commands():
    """The shell lines of the code blocks in the README's set-up section."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    inside, fenced, commands = False, False, []
    for line in lines:
        if line.startswith("## "):
            inside = bool(SETUP_HEADING.match(line))
            continue
        if not inside:
            continue
        if FENCE.match(line):
            fenced = not fenced
            continue
        if fenced and line.strip() and not line.lstrip().startswith("#"):
            commands.append(line.strip())
    return commands


def check_setup(binary, problems):
    commands = setup_commands()
    if not commands:
        problems.append("README.md: no commands found under a '## Set-up' heading")
        return
    with open(os.path.join(ROOT, "CMakePresets.json"), encoding="utf-8") as f:
        workflows = {p["name"] for p in json.load(f).get("workflowPresets", [])}
    help_text = ""
    if binary:
        help_text = subprocess.run([binary, "--help"], capture_output=True, text=True,
                                   check=True).stdout
    subcommands = set(re.findall(r"^\s+nr-analyzer\s+([a-z-]+)", help_text, re.MULTILINE))
    for command in commands:
        for part in re.split(r"\s*(?:&&|\|\||;|\|)\s*", command):
            words = part.split()
            if not words:
                continue
            program = words[0]
            if program.startswith(("scripts/", "./", "bench/", "build/")) and "nr-analyzer" not in program:
                if not os.path.exists(os.path.join(ROOT, program)):
                    problems.append(f"README.md set-up: {program} does not exist")
            if program == "cmake" and "--workflow" in words and "--preset" in words:
                preset = words[words.index("--preset") + 1]
                if preset not in workflows:
                    problems.append(f"README.md set-up: no workflow preset '{preset}'")
            if program.endswith("nr-analyzer") and binary:
                if len(words) < 2:
                    continue
                sub = words[1]
                if sub.startswith("-"):
                    if sub not in help_text:
                        problems.append(f"README.md set-up: option {sub} is not in --help")
                elif sub not in subcommands:
                    problems.append(f"README.md set-up: `nr-analyzer {sub}` is not a command "
                                    f"of --help ({', '.join(sorted(subcommands))})")


def demo_environment():
    """The environment scripts/docs_images.sh runs the binary in: the demo dataset, UTC."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NEW_RELIC_API_KEY", "NEW_RELIC_ACCOUNT_ID", "NR_ANALYZER_CONFIG"))}
    env["TZ"] = "UTC"
    return env


def pictured_trace(variable):
    with open(os.path.join(ROOT, "scripts", "docs_images.sh"), encoding="utf-8") as f:
        m = re.search(rf"^{variable}=([0-9a-f]+)", f.read(), re.MULTILINE)
    return m.group(1) if m else None


def check_pictures(binary, problems):
    images = os.path.join(ROOT, "docs", "images")
    again = "; run scripts/docs_images.sh"
    waterfall, slack = pictured_trace("WATERFALL_TRACE"), pictured_trace("SLACK_TRACE")
    if not waterfall or not slack:
        problems.append("scripts/docs_images.sh: WATERFALL_TRACE or SLACK_TRACE not found")
        return
    with tempfile.TemporaryDirectory() as tmp:
        png = os.path.join(tmp, "waterfall.png")
        subprocess.run([binary, "trace", waterfall, "--png", png], env=demo_environment(),
                       stdout=subprocess.DEVNULL, check=True)
        with open(png, "rb") as now, open(os.path.join(images, "waterfall.png"), "rb") as kept:
            if now.read() != kept.read():
                problems.append("docs/images/waterfall.png is not what the binary draws now" + again)
    out = subprocess.run([binary, "trace", slack, "--format", "blocks"], env=demo_environment(),
                         capture_output=True, check=True).stdout
    # Byte for byte what `python3 -m json.tool --indent 2 --no-ensure-ascii` writes.
    now = json.dumps(json.loads(out), indent=2, ensure_ascii=False) + "\n"
    with open(os.path.join(images, "slack-summary.blocks.json"), encoding="utf-8") as f:
        if f.read() != now:
            problems.append("docs/images/slack-summary.blocks.json is not what the bot says now"
                            + again)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary")
    args = parser.parse_args()
    problems = []
    check_links(problems)
    check_setup(args.binary, problems)
    if args.binary:
        check_pictures(args.binary, problems)
    for p in problems:
        print(p)
    print(f"check_docs: {len(markdown_files())} pages, {len(setup_commands())} set-up commands, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
