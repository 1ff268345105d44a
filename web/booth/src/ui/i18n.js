// The booth's interface strings in the six UN languages (the ballot's own texts come from
// the manifest). Each catalog has exactly the keys of the English one: a test fails on a
// missing or empty key.
import ar from "./i18n/ar.json";
import en from "./i18n/en.json";
import es from "./i18n/es.json";
import fr from "./i18n/fr.json";
import ru from "./i18n/ru.json";
import zh from "./i18n/zh.json";

/** @type {Record<string, Record<string, string>>} */
export const CATALOGS = { ar, zh, en, fr, ru, es };

/** Each language named in its own script (the order of the UN's official languages). */
export const LANGUAGE_NAMES = {
  ar: "العربية",
  zh: "中文",
  en: "English",
  fr: "Français",
  ru: "Русский",
  es: "Español",
};

const RIGHT_TO_LEFT = new Set(["ar", "fa", "he", "ps", "ug", "ur"]);

/** @param {string} language */
export function direction(language) {
  return RIGHT_TO_LEFT.has(language.split("-")[0]) ? "rtl" : "ltr";
}

/**
 * The interface string `key` in `language`, with `{name}` placeholders filled; numbers are
 * written by `Intl` in the language's own way.
 * @param {string} language
 * @param {string} key
 * @param {Record<string, string|number>} [values]
 */
export function t(language, key, values = {}) {
  const text = (CATALOGS[language] || CATALOGS.en)[key] ?? CATALOGS.en[key];
  if (text === undefined) throw new Error(`no interface string ${key}`);
  const numbers = new Intl.NumberFormat(language);
  return text.replace(/\{(\w+)\}/g, (_, name) => {
    const value = values[name];
    if (value === undefined) return `{${name}}`;
    return typeof value === "number" ? numbers.format(value) : value;
  });
}

/**
 * A text of the manifest (an object from language to string) in `language`, else in the
 * manifest's first language.
 * @param {Record<string, string>} text
 * @param {string} language
 * @param {string[]} languages the manifest's languages, the first the default
 */
export function local(text, language, languages) {
  return text[language] ?? text[languages[0]];
}
