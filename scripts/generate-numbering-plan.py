#!/usr/bin/env python3
"""Generates Switchboard's numbering plan and phone-number test vectors from libphonenumber.

Pinned to phonenumbers==9.0.43 (the Python port of libphonenumber's metadata). To rerun it, from the
repository root:

    python3 -m venv /tmp/phonenumbers-venv
    /tmp/phonenumbers-venv/bin/pip install phonenumbers==9.0.43
    /tmp/phonenumbers-venv/bin/python scripts/generate-numbering-plan.py

It rewrites two files, and a rerun with the same version writes them byte for byte again (the random
choices use a fixed seed):

- Sources/SwitchboardCore/Phone/NumberingPlan+Generated.swift: the table that NumberingPlan reads.
- Tests/SwitchboardCoreTests/Vectors/phone-numbers.tsv: the vectors that the Swift parser is tested on.
- Tests/SwitchboardCoreTests/Vectors/number-types.tsv: `+E164<TAB>TYPE` for every number the first file
  accepts, TYPE being libphonenumber's `number_type` in the table's names (`fixedLineOrMobile` for
  FIXED_LINE_OR_MOBILE); fictional numbers are `mobile`, as the only fictional range is a mobile one.

To move to a newer libphonenumber, change PHONENUMBERS_VERSION below and in the commands above, rerun,
and run the tests: the vectors then tell whether the Swift side still agrees with libphonenumber.

Each vector line is `input<TAB>ok<TAB>+E164<TAB>REGION` or `input<TAB>error<TAB>REASON`, where an
`invalid-number` error carries a third field: the region libphonenumber took the number for, or nothing
when no region of a shared calling code claims it. The expected values come from phonenumbers, except
for the gateway's own input policy, which is stricter than libphonenumber's lenient `parse` and is
implemented here independently of the Swift code (see `input_policy`):

- surrounding Unicode white space is ignored; nothing left means `empty`;
- more than 250 Unicode scalars after that is `too-long` (libphonenumber's own input limit);
- allowed are decimal digits of any script (Unicode category Nd), one `+` (or the full-width `＋`)
  before the first digit, and as separators spaces (Zs), dashes (Pd), `.`, `/`, `(` and `)`; anything
  else is `invalid-character` (libphonenumber would read letters as vanity digits, or cut off
  extensions and trailing text, which a gateway should not guess at);
- no `+` is `missing-plus` (there is no default region to read a national number against).

Everything after that is libphonenumber's judgement of "+" followed by the digits (see `judge`):
`parse(s, None)` failing is `too-short`, `too-long` or `unknown-calling-code`; then
`is_possible_number_with_reason` TOO_SHORT or IS_POSSIBLE_LOCAL_ONLY (a number without its area code)
is `too-short`, TOO_LONG is `too-long`, INVALID_LENGTH or `is_valid_number` false is `invalid-number`,
and otherwise the number is `ok` in `region_code_for_number`'s region. For plain ASCII inputs the
script also asserts that libphonenumber reading the text as written comes to the same verdict.

The vectors cover (see `inputs`): the example number of every number type of every region and
non-geographic entity, written as E.164, in libphonenumber's INTERNATIONAL format, with dots, with
parentheses, and with the national prefix in parentheses; numbers drawn from every type's pattern
until each alternative and each digit of each class has been used (many more for shared calling
codes), and from every leading-digits pattern; every NANP area code; national-format numbers; cut and
lengthened numbers; every unassigned calling code; possible but invalid numbers; letters and other
characters; white space, empty and over-long text; and digits of other scripts with Unicode separators.
"""

import random
import re
import sys
import unicodedata
from pathlib import Path

try:
    from re import _parser as sre_parse  # Python 3.11 and later
except ImportError:  # pragma: no cover
    import sre_parse

PHONENUMBERS_VERSION = "9.0.43"

import phonenumbers  # noqa: E402
from phonenumbers import NumberParseException, PhoneMetadata, PhoneNumberFormat  # noqa: E402
from phonenumbers.phonenumberutil import (  # noqa: E402
    COUNTRY_CODE_TO_REGION_CODE,
    ValidationResult,
)

if phonenumbers.__version__ != PHONENUMBERS_VERSION:
    sys.exit(f"need phonenumbers=={PHONENUMBERS_VERSION}, found {phonenumbers.__version__}")

ROOT = Path(__file__).resolve().parent.parent
SWIFT_OUT = ROOT / "Sources/SwitchboardCore/Phone/NumberingPlan+Generated.swift"
VECTORS_OUT = ROOT / "Tests/SwitchboardCoreTests/Vectors/phone-numbers.tsv"
TYPES_OUT = ROOT / "Tests/SwitchboardCoreTests/Vectors/number-types.tsv"

# The number types that is_valid_number accepts, as (metadata attribute, name in the table). A region
# whose mobile pattern equals its fixed-line one lists it once, as `fixedLineOrMobile`.
NUMBER_TYPES = [
    ("fixed_line", "fixedLine"),
    ("mobile", "mobile"),
    ("toll_free", "tollFree"),
    ("premium_rate", "premiumRate"),
    ("shared_cost", "sharedCost"),
    ("voip", "voip"),
    ("personal_number", "personal"),
    ("pager", "pager"),
    ("uan", "uan"),
    ("voicemail", "voicemail"),
]

# The regular-expression syntax the Swift DigitPattern compiler understands. Anything else in new
# metadata must fail here, at generation time, rather than at run time.
PATTERN_TOKEN = re.compile(r"\\d|\(\?:|\(|\)|\||\[(?:\d(?:-\d)?)+\]|\{\d+(?:,\d+)?\}|\?|\d|\$")


def check_pattern(pattern, where):
    position = 0
    while position < len(pattern):
        token = PATTERN_TOKEN.match(pattern, position)
        if token is None:
            sys.exit(f"{where}: unsupported regular-expression syntax at {pattern[position:]!r}")
        position = token.end()
    if " " in pattern or "\t" in pattern:
        sys.exit(f"{where}: white space in pattern")
    return pattern


def metadata_for(calling_code, region):
    if region == "001":
        return PhoneMetadata.metadata_for_nongeo_region(calling_code)
    return PhoneMetadata.metadata_for_region(region)


def lengths(values):
    return ",".join(str(v) for v in values) if values else "-"


# --------------------------------------------------------------------------------------------------
# The table


def table_lines():
    lines = []
    for calling_code in sorted(COUNTRY_CODE_TO_REGION_CODE):
        regions = COUNTRY_CODE_TO_REGION_CODE[calling_code]
        lines.append(f"+{calling_code} {' '.join(regions)}")
        for index, region in enumerate(regions):
            metadata = metadata_for(calling_code, region)
            where = f"+{calling_code} {region}"
            general = metadata.general_desc
            leading = metadata.leading_digits
            prefix = transform = None
            # parse() strips a national prefix with the main region's rule only.
            if index == 0 and metadata.national_prefix_for_parsing:
                prefix = check_pattern(metadata.national_prefix_for_parsing, where)
                if metadata.national_prefix_transform_rule:
                    transform = re.sub(r"\\(\d)", r"$\1", metadata.national_prefix_transform_rule)
                    if not re.fullmatch(r"(?:\d|\$\d)+", transform):
                        sys.exit(f"{where}: unsupported transform rule {transform!r}")
            fields = [
                region,
                lengths(general.possible_length),
                lengths(general.possible_length_local_only),
                check_pattern(leading, where) if leading else "-",
                prefix or "-",
                transform or "-",
                check_pattern(general.national_number_pattern, where),
            ]
            lines.append(" ".join(fields))
            for attribute, name in NUMBER_TYPES:
                desc = getattr(metadata, attribute)
                if desc is None or not desc.national_number_pattern:
                    continue
                # is_valid_number never looks at the mobile pattern when it equals the fixed-line one,
                # and number_type then calls a fixed-line match FIXED_LINE_OR_MOBILE.
                if attribute == "mobile" and metadata.same_mobile_and_fixed_line_pattern:
                    continue
                if attribute == "fixed_line" and metadata.same_mobile_and_fixed_line_pattern:
                    name = "fixedLineOrMobile"
                if desc.possible_length == (-1,):
                    continue
                pattern = check_pattern(desc.national_number_pattern, f"{where} {name}")
                lines.append(f" {name} {lengths(desc.possible_length)} {pattern}")
    return lines


def write_swift(lines):
    body = "\n".join(lines)
    if '"""#' in body:
        sys.exit("table text would end the raw string literal")
    SWIFT_OUT.write_text(
        f"""// Generated by scripts/generate-numbering-plan.py from phonenumbers {PHONENUMBERS_VERSION}
// (libphonenumber's metadata). Do not edit: change the script and rerun it.

extension NumberingPlan {{
    /// libphonenumber's numbering plan, one record a line, read once by `NumberingPlan(table:)`.
    ///
    /// It is text rather than Swift literals because the type checker takes minutes over thousands
    /// of struct literals, while a string literal costs nothing to compile. The format:
    ///
    /// - `+CC REGION...`: a country calling code and the regions that share it, main region first,
    ///   in the order `region_code_for_number` tries them.
    /// - `REGION LENGTHS LOCAL LEADING PREFIX TRANSFORM GENERAL`: a region of the calling code above
    ///   (`001` for a non-geographic entity): the possible national-number lengths, the local-only
    ///   lengths, the `leading_digits` pattern, the national prefix for parsing and its transform
    ///   rule (main regions only, `$1` for a captured group) and the general-description pattern.
    ///   `-` stands for an absent field.
    /// - ` TYPE LENGTHS PATTERN`: a number type of the region above that `is_valid_number` accepts.
    static let generatedTable = #\"\"\"
{body}
\"\"\"#
}}
""",
        encoding="utf-8",
    )


# --------------------------------------------------------------------------------------------------
# The expected outcome of one input

# Unicode's White_Space property, which is what Swift's `Unicode.Scalar.Properties.isWhitespace` reads.
WHITE_SPACE = set(
    "\u0009\u000a\u000b\u000c\u000d\u0020\u0085\u00a0\u1680\u2028\u2029\u202f\u205f\u3000"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
)
PLUS_SIGNS = "+\uff0b"
MAX_SCALARS = 250


def input_policy(text):
    """The gateway's own input rules. Returns (digits, None) or (None, error fields)."""
    start, end = 0, len(text)
    while start < end and text[start] in WHITE_SPACE:
        start += 1
    while end > start and text[end - 1] in WHITE_SPACE:
        end -= 1
    trimmed = text[start:end]
    if not trimmed:
        return None, ("empty",)
    if len(trimmed) > MAX_SCALARS:
        return None, ("too-long",)
    digits = []
    plus = False
    for character in trimmed:
        category = unicodedata.category(character)
        if category == "Nd":
            digits.append(str(unicodedata.decimal(character)))
        elif character in PLUS_SIGNS and not plus and not digits:
            plus = True
        elif category in ("Zs", "Pd") or character in "./()":
            continue
        else:
            return None, ("invalid-character",)
    if not plus:
        return None, ("missing-plus",)
    return "".join(digits), None


# Ranges reserved for drama and documentation, which libphonenumber calls invalid but Switchboard
# accepts as numbers of their country (Sources/SwitchboardCore/Phone/FictionalNumbers.swift):
# (calling code, leading digits of the national number, national number length, region).
FICTIONAL_RANGES = [(44, "7700900", 10, "GB")]


def fictional_region(number):
    national = str(number.national_number)
    for code, prefix, length, region in FICTIONAL_RANGES:
        if number.country_code == code and len(national) == length and national.startswith(prefix):
            return region
    return None


def judge(text):
    """libphonenumber's verdict on `text`: ("ok", e164, region) or ("error", reason[, region])."""
    try:
        number = phonenumbers.parse(text, None)
    except NumberParseException as error:
        reason = {
            NumberParseException.NOT_A_NUMBER: "too-short",
            NumberParseException.TOO_SHORT_AFTER_IDD: "too-short",
            NumberParseException.TOO_SHORT_NSN: "too-short",
            NumberParseException.TOO_LONG: "too-long",
            NumberParseException.INVALID_COUNTRY_CODE: "unknown-calling-code",
        }[error.error_type]
        if error.error_type == NumberParseException.NOT_A_NUMBER:
            # The only way "+" and digits is not a number at all.
            assert sum(c.isdigit() for c in text) < 3, text
        return ("error", reason)
    possible = phonenumbers.is_possible_number_with_reason(number)
    region = phonenumbers.region_code_for_number(number)
    if possible in (ValidationResult.TOO_SHORT, ValidationResult.IS_POSSIBLE_LOCAL_ONLY):
        # A local-only length is a subscriber number without its area code: digits are missing.
        return ("error", "too-short")
    if possible == ValidationResult.TOO_LONG:
        return ("error", "too-long")
    if possible == ValidationResult.INVALID_LENGTH or not phonenumbers.is_valid_number(number):
        fictional = fictional_region(number)
        if fictional is not None:
            return ("ok", phonenumbers.format_number(number, PhoneNumberFormat.E164), fictional)
        return ("error", "invalid-number", region or "")
    assert possible == ValidationResult.IS_POSSIBLE
    return ("ok", phonenumbers.format_number(number, PhoneNumberFormat.E164), region)


def expected(text):
    digits, error = input_policy(text)
    if error is not None:
        return ("error",) + error
    verdict = judge("+" + digits)
    # Where the input is plain ASCII, libphonenumber reading it as written must agree: separators
    # carry no meaning, so the policy above only narrows what is accepted.
    if text.isascii():
        assert judge(text) == verdict, (text, judge(text), verdict)
    return verdict


# --------------------------------------------------------------------------------------------------
# Inputs


def all_metadata():
    for calling_code in sorted(COUNTRY_CODE_TO_REGION_CODE):
        for region in COUNTRY_CODE_TO_REGION_CODE[calling_code]:
            yield calling_code, region, metadata_for(calling_code, region)


def example_numbers(metadata):
    """(type name, national number) for every number type of a region that has an example."""
    for attribute, name in NUMBER_TYPES:
        desc = getattr(metadata, attribute)
        if desc is not None and desc.example_number:
            yield name, desc.example_number


def spellings(calling_code, national):
    """The ways people write one number: E.164, libphonenumber's INTERNATIONAL, dotted, bracketed."""
    number = phonenumbers.parse(f"+{calling_code}{national}", None)
    e164 = f"+{calling_code}{national}"
    international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    forms = [e164, international]
    groups = re.split(r"[ \-]", international)[1:]
    dotted = ".".join([f"+{calling_code}"] + groups) if groups else e164
    forms.append(dotted)
    if len(groups) >= 2:
        rest = groups[1:]
        tail = " ".join(rest[:-1]) + "-" + rest[-1] if len(rest) > 1 else rest[0]
        forms.append(f"+{calling_code} ({groups[0]}) {tail}")
    elif groups:
        forms.append(f"+{calling_code} ({groups[0]})")
    return forms


def samples(pattern, rng, limit):
    """Random digit strings that match `pattern`, until every alternative and every digit of every
    class has been used once (or `limit` strings): numbers that reach each part of the pattern."""
    tree = sre_parse.parse(pattern)
    unused = set()  # (id of a node, choice) not yet taken

    def walk(items, out, record):
        for op, argument in items:
            name = str(op)
            if name == "LITERAL":
                out.append(chr(argument))
            elif name == "IN":
                allowed = []
                for kind, value in argument:
                    if str(kind) == "LITERAL":
                        allowed.append(chr(value))
                    elif str(kind) == "RANGE":
                        allowed.extend(chr(c) for c in range(value[0], value[1] + 1))
                    elif str(kind) == "CATEGORY" and str(value) == "CATEGORY_DIGIT":
                        allowed.extend("0123456789")
                    else:
                        raise ValueError(f"{pattern}: {kind}")
                out.append(choose(id(argument), allowed, record))
            elif name == "BRANCH":
                walk(choose(id(argument), argument[1], record), out, record)
            elif name == "SUBPATTERN":
                walk(argument[-1], out, record)
            elif name == "MAX_REPEAT":
                low, high, body = argument
                for _ in range(choose(id(argument), list(range(low, high + 1)), record)):
                    walk(body, out, record)
            elif name == "AT":
                continue
            else:
                raise ValueError(f"{pattern}: {name}")

    def choose(node, options, record):
        if record is not None:
            fresh = [i for i in range(len(options)) if (node, i) in unused]
            index = rng.choice(fresh) if fresh else rng.randrange(len(options))
            record.add((node, index))
            return options[index]
        unused.update((node, i) for i in range(len(options)))
        return options[0]

    walk(tree, [], None)  # a dry run that lists every choice
    results = []
    while unused and len(results) < limit:
        record = set()
        out = []
        walk(tree, out, record)
        unused.difference_update(record)
        results.append("".join(out))
    return results


def random_digits(rng, count, first="0123456789"):
    if count <= 0:
        return ""
    return rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(count - 1))


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
FULL_WIDTH = str.maketrans("0123456789+", "０１２３４５６７８９＋")

SHARED_CODES = [1, 7, 39, 44, 47, 61, 212, 262, 290, 358, 590, 599]


def inputs(rng):
    """Every input, each tagged with what it is for (for the header counts)."""
    # Every region and number type: the example number, written the ways people write it.
    for calling_code, region, metadata in all_metadata():
        for name, national in example_numbers(metadata):
            for form in spellings(calling_code, national):
                yield "example", form
            # People often keep the trunk prefix in brackets: "+44 (0)20 7946 0000".
            if metadata.national_prefix and region != "001":
                yield "national-prefix", f"+{calling_code} ({metadata.national_prefix}){national}"

    # The fictional ranges, spelled as in documentation, with their edges and neighbours.
    for code, prefix, length, region in FICTIONAL_RANGES:
        rest = length - len(prefix)
        for tail in ["0" * rest, "9" * rest, "123"[:rest].ljust(rest, "0")]:
            national = prefix + tail
            for form in spellings(code, national):
                yield "fictional", form
        yield "fictional", f"+{code}{prefix}{'1' * (rest + 1)}"
        yield "fictional", f"+{code}{prefix[:-1]}{int(prefix[-1]) + 1}{'0' * rest}"

    # Numbers drawn from every number type's pattern of every region until every alternative and
    # every digit class of it has been used, reaching what example numbers miss; more for the
    # regions of shared calling codes, where the patterns decide the country. The drawn length may
    # be impossible: libphonenumber judges.
    for calling_code, region, metadata in all_metadata():
        limit = 60 if calling_code in SHARED_CODES else 12
        for attribute, name in NUMBER_TYPES:
            desc = getattr(metadata, attribute)
            if desc is None or not desc.national_number_pattern:
                continue
            for drawn in samples(desc.national_number_pattern, rng, limit):
                yield "drawn", f"+{calling_code}{drawn}"
        # Every alternative of the leading digits, completed to a possible length.
        if metadata.leading_digits:
            for start in samples(metadata.leading_digits, rng, 40):
                length = rng.choice(metadata.general_desc.possible_length)
                yield "leading-digits", f"+{calling_code}{start}{random_digits(rng, length - len(start))}"

    # Shared calling codes: more numbers of each region, by keeping an example number's leading
    # digits and drawing the rest, whatever libphonenumber then says about them.
    for calling_code in SHARED_CODES:
        for region in COUNTRY_CODE_TO_REGION_CODE[calling_code]:
            metadata = metadata_for(calling_code, region)
            for name, national in example_numbers(metadata):
                for _ in range(6):
                    keep = rng.randint(1, max(1, len(national) - 2))
                    drawn = national[:keep] + random_digits(rng, len(national) - keep)
                    yield "shared", f"+{calling_code}{drawn}"

    # +1 by area code: every area code with a drawn subscriber number, in the NANP spelling.
    for area in range(200, 1000):
        subscriber = random_digits(rng, 7, "23456789")
        yield "nanp", f"+1 ({area}) {subscriber[:3]}-{subscriber[3:]}"

    # +7 by the first three digits.
    for prefix in range(300, 1000, 3):
        yield "shared", f"+7 {prefix} {random_digits(rng, 7)}"

    examples = [
        (calling_code, region, national)
        for calling_code, region, metadata in all_metadata()
        for _, national in example_numbers(metadata)
    ]

    # National format, no "+": missing-plus.
    for calling_code, region, national in rng.sample(examples, 120):
        number = phonenumbers.parse(f"+{calling_code}{national}", None)
        yield "missing-plus", phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    for calling_code, region, national in rng.sample(examples, 40):
        yield "missing-plus", f"00{calling_code} {national}"
        yield "missing-plus", f"{calling_code}{national}"

    # Too short and too long, by cutting and extending example numbers.
    for calling_code, region, national in rng.sample(examples, 250):
        cut = rng.randint(0, len(national) - 1)
        yield "short", f"+{calling_code}{national[:cut]}"
    for calling_code, region, national in rng.sample(examples, 250):
        yield "long", f"+{calling_code}{national}{random_digits(rng, rng.randint(1, 4))}"
    for calling_code, region, national in rng.sample(examples, 40):
        yield "long", f"+{calling_code}{national}{random_digits(rng, 16)}"
    for count in range(0, 4):
        yield "short", "+" + random_digits(rng, count, "123456789")
    yield "short", "+"
    yield "short", "+ ( )"

    # Unknown calling codes: every unassigned first three digits, and a zero after the "+".
    known = set(COUNTRY_CODE_TO_REGION_CODE)
    for code in range(100, 1000):
        if not any(int(str(code)[:n]) in known for n in (1, 2, 3)):
            yield "unknown-code", f"+{code} {random_digits(rng, rng.randint(6, 10))}"
    for _ in range(10):
        yield "unknown-code", f"+0{random_digits(rng, rng.randint(6, 11))}"

    # A possible length but not a valid number: change the leading digits of example numbers and
    # keep the results that libphonenumber calls possible but invalid.
    found = 0
    for calling_code, region, national in rng.sample(examples, len(examples)):
        for _ in range(8):
            change = rng.randint(1, min(3, len(national)))
            mutated = random_digits(rng, change) + national[change:]
            try:
                number = phonenumbers.parse(f"+{calling_code}{mutated}", None)
            except NumberParseException:
                continue
            if phonenumbers.is_possible_number_with_reason(number) != ValidationResult.IS_POSSIBLE:
                continue
            if phonenumbers.is_valid_number(number):
                continue
            yield "invalid-number", f"+{calling_code}{mutated}"
            found += 1
            break
        if found >= 500:
            break

    # Letters and other characters the gateway does not accept.
    garbage = [
        "+44 7911 12345a",
        "+1 800 FLOWERS",
        "+1-800-356-9377 ext 123",
        "+44 20 7946 0000 x12",
        "+33 6 12 34 56 78;",
        "+49#30123456",
        "tel:+14155550123",
        "+1 415 555 0123 or +1 415 555 0124",
        "++44 20 7946 0000",
        "+44 20 +7946 0000",
        "44+2079460000",
        "+44_20_7946_0000",
        "+44*2079460000",
        "+44,2079460000",
        "+44 20 7946 0000!",
        "+44 20 7946 OOOO",
        "+١٢ abc",
        "+44\u200b2079460000",
        "+44 20 7946 0000 \U0001F4DE",
        "+1 (415) 555-0123 [work]",
        "+44 ²0 7946 0000",
        "+44~20~7946~0000",
        "phone: +44 20 7946 0000",
        "abc",
        "null",
        "<script>",
        "'; DROP TABLE users; --",
        "0x2079460000",
        "+44 (20) 7946 0000 #",
        "+39 06 6982 \\ 0000",
        "+7 (495) 123-45-67, доб. 1",
        "+86 10 1234 5678 转 1",
    ]
    for text in garbage:
        yield "invalid-character", text

    # White space, empty, and over-long input.
    yield "empty", ""
    yield "empty", "   "
    yield "empty", "\u00a0\u3000"
    yield "whitespace", "  +442079460000  "
    yield "whitespace", "\u00a0+1 415 555 0123\u2003"
    yield "huge", "+44" + "1" * 300
    yield "huge", "+" + "9" * 250
    yield "huge", "+" + "9" * 249
    yield "huge", "+44 " + " " * 250 + "2079460000"
    yield "huge", "x" * 300

    # Digits of other scripts, Unicode separators, and the full-width plus.
    for calling_code, region, national in rng.sample(examples, 60):
        for table in (ARABIC_INDIC, PERSIAN, DEVANAGARI, FULL_WIDTH):
            yield "unicode", f"+{calling_code}{national}".translate(table)
        yield "unicode", f"+{calling_code}\u00a0{national[:3]}\u2013{national[3:]}"
        yield "unicode", f"+{calling_code}\u202f{national[:2]}\u2011{national[2:]}"


# --------------------------------------------------------------------------------------------------


def main():
    write_swift(table_lines())

    rng = random.Random(20251127)
    seen = set()
    rows = []
    counts = {}
    for kind, text in inputs(rng):
        assert "\t" not in text and "\n" not in text and "\r" not in text, text
        assert not text.startswith("#"), text
        if text in seen:
            continue
        seen.add(text)
        verdict = expected(text)
        rows.append("\t".join((text,) + verdict))
        counts[kind] = counts.get(kind, 0) + 1
    outcomes = {}
    for row in rows:
        fields = row.split("\t")
        key = fields[1] if fields[1] == "ok" else fields[2]
        outcomes[key] = outcomes.get(key, 0) + 1
    header = (
        f"# Generated by scripts/generate-numbering-plan.py from phonenumbers {PHONENUMBERS_VERSION}; "
        f"do not edit. {len(rows)} vectors. "
        f"Inputs: {', '.join(f'{k} {v}' for k, v in counts.items())}. "
        f"Outcomes: {', '.join(f'{k} {v}' for k, v in sorted(outcomes.items()))}."
    )
    VECTORS_OUT.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    print(header)
    write_number_types(rows)


# libphonenumber's PhoneNumberType values, in the table's names.
TYPE_NAMES = {
    phonenumbers.PhoneNumberType.FIXED_LINE: "fixedLine",
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixedLineOrMobile",
    phonenumbers.PhoneNumberType.TOLL_FREE: "tollFree",
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "premiumRate",
    phonenumbers.PhoneNumberType.SHARED_COST: "sharedCost",
    phonenumbers.PhoneNumberType.VOIP: "voip",
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER: "personal",
    phonenumbers.PhoneNumberType.PAGER: "pager",
    phonenumbers.PhoneNumberType.UAN: "uan",
    phonenumbers.PhoneNumberType.VOICEMAIL: "voicemail",
}


def write_number_types(rows):
    """The type of every accepted number, once each, in the order first seen."""
    seen = set()
    lines = []
    counts = {}
    for row in rows:
        fields = row.split("\t")
        if fields[1] != "ok" or fields[2] in seen:
            continue
        e164 = fields[2]
        seen.add(e164)
        number = phonenumbers.parse(e164, None)
        if fictional_region(number) is not None:
            name = "mobile"
        else:
            name = TYPE_NAMES[phonenumbers.number_type(number)]
        lines.append(f"{e164}\t{name}")
        counts[name] = counts.get(name, 0) + 1
    header = (
        f"# Generated by scripts/generate-numbering-plan.py from phonenumbers {PHONENUMBERS_VERSION}; "
        f"do not edit. {len(lines)} numbers. "
        f"Types: {', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}."
    )
    TYPES_OUT.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    print(header)


if __name__ == "__main__":
    main()
