#!/usr/bin/env python3
"""Writes the small seed corpus of the fuzz targets (fuzz/corpus/<target>/).

Run from anywhere: python3 fuzz/make_seeds.py. The XLSX seeds are minimal
workbooks written by hand (inline strings, shared strings, numbers, a date), so
that libFuzzer starts from the shapes calamine reads.
"""
import io
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def xlsx(rows, shared=False):
    """A one-sheet workbook; cells are str (text), int/float (numbers)."""
    strings = []
    def cell(r, c, v):
        ref = "ABCDEFGHIJ"[c] + str(r + 1)
        if isinstance(v, (int, float)):
            return f'<c r="{ref}"><v>{v}</v></c>'
        esc = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if shared:
            strings.append(esc)
            return f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{esc}</t></is></c>'
    body = "".join(
        f'<row r="{r + 1}">' + "".join(cell(r, c, v) for c, v in enumerate(row)) + "</row>"
        for r, row in enumerate(rows)
    )
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        + ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' if shared else "")
        + "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        + (f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>' if shared else "")
        + "</Relationships>",
    }
    parts["xl/worksheets/sheet1.xml"] = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>{body}</sheetData></worksheet>'
    if shared:
        sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
        parts["xl/sharedStrings.xml"] = f'<?xml version="1.0" encoding="UTF-8"?><sst {ns} count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


ASSETS_NL = [["Naam", "Soort", "Eigenaar", "Behoefte vertrouwelijkheid"], ["Laptop", "Hardware", "ann@example.nl", 3], ["Kantoor", "Locatie", "Bob Jansen", 2]]
RISKS_EN = [["Title", "Asset", "Threat", "Likelihood", "Impact", "Owner"], ["Data leak", "Laptop", "Brand", 3, 4, "ann@example.nl"]]

CSV = {
    "assets_nl.csv": "\ufeffNaam;Soort;Eigenaar\nLaptop;Hardware;ann@example.nl\n\n\"Kast; \"\"groot\"\"\";Hardware;\n",
    "risks_en.csv": "Title,Asset,Threat,Likelihood,Impact,Owner\nData leak,Laptop,Brand,3,4,Ann de Vries\n",
    "soa.csv": '"Control","Applicable","Justification"\n"5.1","Yes","\'a;=1+1;b8"\n"7.6","No","Geen ruimten"\n',
    "odd.csv": "a,b\n\"unterminated,c\n\u202e,\t\r\n",
}

def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

for name, text in CSV.items():
    write("read_table", name, text)
write("read_table", "assets_inline.xlsx", xlsx(ASSETS_NL))
write("read_table", "risks_shared.xlsx", xlsx(RISKS_EN, shared=True))
write("read_table", "date_far.xlsx", xlsx([["Naam", "Datum"], ["Laptop", 46418.5], ["x", 1e300]]))

# import_resolve: first line = column choices, then the sheet.
write("import_resolve", "auto_nl.csv", "\n" + CSV["assets_nl.csv"])
write("import_resolve", "choices.csv", "#2=asset_type&Eigenaar=owner&3=\n" + CSV["assets_nl.csv"])
write("import_resolve", "risks.csv", "Title=title\n" + CSV["risks_en.csv"])
write("import_resolve", "risks.xlsx", b"\n" + xlsx(RISKS_EN, shared=True))
write("import_resolve", "tabs.txt", "\nname\tasset_type\towner\nLaptop\thardware\tbob@example.nl\n")

# form_parse: first byte picks the form.
FORMS = {
    0: "title=Klimaat&kind=external&category=climate_change&description=line+1%0D%0Aline+2&last_reviewed=2026-01-31",
    1: "name=AP&party_type=regulator&description=x",
    2: "title=AVG&req_type=legal&description=y",
    3: "name=Laptop&asset_type=hardware&confidentiality=3&owner_id=0190c5a0-0000-7000-8000-000000000001",
    4: "title=Data+leak&likelihood=3&impact=4&treatment=mitigate&next_review=2027-01-01",
    5: "applicable=yes&reasons=business&inclusion_note=%3Cscript%3E&status=implemented",
    6: "name=MFA&status=planned&due_date=2026-12-31&control_ids=8.2",
    7: "title=Patch&due_date=2026-06-01&status=open",
    8: "title=Q1&reason=planned&scope=all",
    9: '{"title":"a\\u202eb","kind":"internal","category":"legal"}',
}
for n, body in FORMS.items():
    write("form_parse", f"form_{n}", bytes([n]) + body.encode())
