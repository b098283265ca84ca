//! Recipient countries: ISO 3166-1 alpha-2 codes (the 249 officially assigned, and `XK` for
//! Kosovo, which phone numbering uses), with a suggestion for codes people write that are not
//! ISO codes (`UK` for `GB`).

/// Every code, by first letter, as ISO 3166-1 lists them (and `XK`).
const CODES: &str = "\
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ \
EC EE EG EH ER ES ET \
FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
HK HM HN HR HT HU \
ID IE IL IM IN IO IQ IR IS IT \
JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ \
LA LB LC LI LK LR LS LT LU LV LY \
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ \
OM \
PA PE PF PG PH PK PL PM PN PR PS PT PW PY \
QA \
RE RO RS RU RW \
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ \
UA UG UM US UY UZ \
VA VC VE VG VI VN VU \
WF WS \
YE YT \
ZA ZM ZW XK";

/// Codes in common use that are not the ISO code of the country they mean.
const NOT_ISO: &[(&str, &str, &str)] = &[
    ("UK", "GB", "the United Kingdom"),
    ("EL", "GR", "Greece"),
    ("FX", "FR", "France"),
];

/// Why a text is not a country code: the message and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

/// Whether `code` (two upper-case letters) is a country's ISO 3166-1 alpha-2 code.
pub fn is_country(code: &str) -> bool {
    code.len() == 2
        && code.bytes().all(|b| b.is_ascii_uppercase())
        && CODES.split_ascii_whitespace().any(|c| c == code)
}

/// Reads a recipient country: two letters of any case naming a country, upper-cased.
pub fn parse_country(text: &str) -> Result<String, CountryError> {
    let t = text.trim();
    if t.len() != 2 || !t.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(CountryError {
            message: format!("`{}` is not a country code", crate::diagnostic::quote(t)),
            help: "write the recipient's country as two letters (ISO 3166-1 alpha-2), like DE, IN or BR".into(),
        });
    }
    let code = t.to_ascii_uppercase();
    if is_country(&code) {
        return Ok(code);
    }
    let help = match NOT_ISO.iter().find(|(c, _, _)| *c == code) {
        Some((_, iso, name)) => {
            format!("did you mean `{iso}`? {name} is `{iso}` in ISO 3166-1 alpha-2")
        }
        None => "write the recipient's country as ISO 3166-1 alpha-2, like DE, IN or BR; `flowcost rates` lists the markets".into(),
    };
    Err(CountryError {
        message: format!("`{code}` is not a country code (ISO 3166-1 alpha-2)"),
        help,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_and_mistakes() {
        assert_eq!(parse_country("de"), Ok("DE".into()));
        assert_eq!(parse_country("GB"), Ok("GB".into()));
        let uk = parse_country("UK").unwrap_err();
        assert!(uk.help.contains("`GB`"), "{uk:?}");
        assert!(parse_country("XX").is_err());
        assert!(parse_country("Germany").is_err());
        assert_eq!(CODES.split_ascii_whitespace().count(), 250);
        assert!(is_country("AQ") && is_country("XK") && is_country("ZW"));
    }
}
