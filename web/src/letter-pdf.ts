// The registered-mail letters an officer prints: one US Letter page per letter, in English and
// French side by side (the letter's own language on the left), with the Client Number (or
// identifier) and the activation code in full, and the address where a #10 window envelope
// shows it. Drawn in the browser with jsPDF (see web/README.md for why), loaded only when an
// officer asks for a PDF; nothing is fetched from anywhere else.

import type { Letter } from "./api";
import { formatDate, tIn, type Key, type Lang } from "./i18n";

const PAGE = { width: 612, height: 792 }; // US Letter, in points
const MARGIN = 54;
// A #10 window envelope shows 4½ × 1⅛ in, 7/8 in from the left and 1/2 in from the bottom;
// a letter folded in three puts this block behind it.
const WINDOW = { x: 72, y: 158, width: 300 };
const COLUMN = { gap: 24, width: (PAGE.width - 2 * MARGIN - 24) / 2 };

function program(letter: Letter, language: Lang): string {
  return tIn(language, `program.${letter.program}` as Key);
}

function kind(letter: Letter, language: Lang): string {
  return tIn(language, letter.program === "ttp" ? "letter.kind.ttp" : "letter.kind.other");
}

/** What the letter says, in one language, paragraph by paragraph. */
function body(letter: Letter, language: Lang): string[] {
  const values = { program: program(letter, language), name: letter.legal_name, kind: kind(letter, language) };
  return (["letter.p1", "letter.l1", "letter.l2", "letter.l3", "letter.p2", "letter.p3"] as Key[]).map((key) =>
    tIn(language, key, values),
  );
}

type Doc = import("jspdf").jsPDF;

function page(doc: Doc, letter: Letter, today: string): void {
  const first: Lang = letter.language === "fr" ? "fr" : "en";
  const both: Lang[] = first === "fr" ? ["fr", "en"] : ["en", "fr"];
  const both2 = (key: Key) => both.map((l) => tIn(l, key)).join(" / ");

  // The sender, the kind of mail and the date.
  doc.setFont("helvetica", "bold").setFontSize(10);
  doc.text(both.map((l) => tIn(l, "letter.agency")), MARGIN, 54);
  doc.setFont("helvetica", "normal").setFontSize(9);
  doc.text(both2("letter.registered"), PAGE.width - MARGIN, 54, { align: "right" });
  doc.text(both.map((l) => formatDate(today, false, l)), PAGE.width - MARGIN, 66, { align: "right" });

  // The address, behind the envelope's window.
  doc.setFont("helvetica", "normal").setFontSize(11);
  const address = [letter.legal_name, ...letter.mailing_address.split("\n")].flatMap(
    (line) => doc.splitTextToSize(line, WINDOW.width) as string[],
  );
  doc.text(address.slice(0, 6), WINDOW.x, WINDOW.y, { lineHeightFactor: 1.2 });

  // What the person needs, in full, in a box.
  let y = 270;
  const isTtp = letter.program === "ttp";
  const rows: Array<[string, string]> = [
    [both2(isTtp ? "letter.clientNumber" : "letter.identifier"), letter.business_identifier],
    [both2("letter.code"), letter.shared_secret ?? ""],
    [both2("letter.expires"), both.map((l) => formatDate(letter.expires_at, false, l)).join(" / ")],
  ];
  doc.setDrawColor(38, 55, 74).setLineWidth(1);
  doc.rect(MARGIN, y - 16, PAGE.width - 2 * MARGIN, rows.length * 34 + 8);
  for (const [label, value] of rows) {
    doc.setFont("helvetica", "normal").setFontSize(9).text(label, MARGIN + 12, y);
    doc.setFont("courier", "bold").setFontSize(14).text(value, MARGIN + 12, y + 16);
    y += 34;
  }

  // The letter, the two languages side by side.
  y += 24;
  both.forEach((language, i) => {
    const x = MARGIN + i * (COLUMN.width + COLUMN.gap);
    let at = y;
    doc.setFont("helvetica", "bold").setFontSize(11);
    const subject = doc.splitTextToSize(tIn(language, "letter.subject", { program: program(letter, language) }), COLUMN.width) as string[];
    doc.text(subject, x, at, { lineHeightFactor: 1.2 });
    at += subject.length * 13 + 8;
    doc.setFont("helvetica", "normal").setFontSize(9.5);
    const to = doc.splitTextToSize(tIn(language, "letter.to", { name: letter.legal_name }), COLUMN.width) as string[];
    doc.text(to, x, at, { lineHeightFactor: 1.25 });
    at += to.length * 12 + 8;
    for (const paragraph of body(letter, language)) {
      const lines = doc.splitTextToSize(paragraph, COLUMN.width) as string[];
      doc.text(lines, x, at, { lineHeightFactor: 1.25 });
      at += lines.length * 12 + 6;
    }
  });

  doc.setFont("helvetica", "normal").setFontSize(7).setTextColor(90);
  doc.text(letter.letter_id, MARGIN, PAGE.height - 36);
  doc.setTextColor(0);
}

/** One PDF with a page per letter (only letters that carry their code). */
export async function lettersPdf(letters: Letter[], today = new Date().toISOString()): Promise<Blob> {
  const { jsPDF } = await import("jspdf");
  const doc = new jsPDF({ unit: "pt", format: "letter", compress: false });
  doc.setProperties({ title: `${tIn("en", "letter.registered")} / ${tIn("fr", "letter.registered")}` });
  letters.forEach((letter, i) => {
    if (i > 0) doc.addPage("letter", "portrait");
    page(doc, letter, today);
  });
  return doc.output("blob");
}

/** Hands the PDF to the browser as a download. */
export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
