// 证件类型 (manual 3.1.2): the documents a clerk may be known by, and each number's rule as the
// platform judges it (hrss_contracts.id_documents), so a page can say at once what the server
// would refuse. The server checks everything again.

export const ID_TYPES = {
  resident_id: "居民身份证",
  hk_macao_permit: "港澳居民来往内地通行证",
  taiwan_permit: "台湾居民来往大陆通行证",
  foreign_permanent_residence: "外国人永久居留身份证",
  passport: "护照",
};

// GB 11643-1999's check character (ISO 7064 MOD 11-2) of 17 digits; null for anything else.
export function idCheck(first17) {
  if (!/^[0-9]{17}$/.test(first17)) return null;
  let total = 0;
  for (let i = 0; i < 17; i += 1) total += Number(first17[i]) * (2 ** (17 - i) % 11);
  return "10X98765432"[total % 11];
}

// ICAO 9303's check digit: digits as themselves, A–Z as 10–35, weighted 7, 3, 1 in turn.
function icaoCheck(characters) {
  let total = 0;
  [...characters].forEach((c, i) => {
    const value = /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    total += value * [7, 3, 1][i % 3];
  });
  return String(total % 10);
}

function realDate(year, month, day) {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

// A real day from 1900 to today (the day as the calendar on this computer says).
function bornBeforeToday(yyyymmdd) {
  const [year, month, day] = [yyyymmdd.slice(0, 4), yyyymmdd.slice(4, 6), yyyymmdd.slice(6, 8)].map(Number);
  const now = new Date();
  const today = now.getFullYear() * 10000 + (now.getMonth() + 1) * 100 + now.getDate();
  return realDate(year, month, day) && year >= 1900 && Number(yyyymmdd) <= today;
}

const RULES = {
  resident_id: (n) => /^[0-9]{17}[0-9X]$/.test(n) && idCheck(n.slice(0, 17)) === n[17] && bornBeforeToday(n.slice(6, 14)),
  hk_macao_permit: (n) => /^[HM][0-9]{8}([0-9]{2})?$/.test(n),
  taiwan_permit: (n) => /^[0-9]{8}$/.test(n),
  foreign_permanent_residence: (n) =>
    /^9[0-9]{16}[0-9X]$/.test(n)
      ? idCheck(n.slice(0, 17)) === n[17] && bornBeforeToday(n.slice(6, 14))
      : /^[A-Z]{3}[0-9]{12}$/.test(n) && realDate(2000, Number(n.slice(9, 11)), Number(n.slice(11, 13))) && icaoCheck(n.slice(0, 14)) === n[14],
  passport: (n) => /^[A-Z0-9]{5,17}$/.test(n),
};

// Python's white space (str.strip), which the platform drops around a number.
const BLANKS = "[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const AROUND = new RegExp(`^${BLANKS}+|${BLANKS}+$`, "g");

// A number in the one form the platform keeps: full-width folded, no surrounding blanks, upper-case.
export function normaliseDocument(number) {
  return number.normalize("NFKC").replace(AROUND, "").toUpperCase();
}

// The document that names the person (hrss_contracts.id_documents.canonical_document): a permit's
// older 11-character form is its 9-character lifetime number; an 18-digit number starting with 9
// is a foreigner's card of 2023 whichever type it came with.
export function canonicalDocument(type, number) {
  if (type === "hk_macao_permit") return [type, number.slice(0, 9)];
  if (type === "resident_id" && number.startsWith("9")) return ["foreign_permanent_residence", number];
  return [type, number];
}

// The field message for a number of the type, or null when it is good.
export function documentError(type, number) {
  if (!Object.hasOwn(RULES, type)) return "证件类型不正确";
  if (RULES[type](normaliseDocument(number))) return null;
  return type === "resident_id" ? "身份证号码格式不正确" : `${ID_TYPES[type]}号码格式不正确`;
}
