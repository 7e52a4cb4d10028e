//! Postman's dynamic variables (`{{$guid}}`, `{{$randomEmail}}`, …): values
//! generated afresh for every occurrence. The faker-style ones draw from the
//! small lists in [`words`](super::words); only their shape matches Postman.

use std::sync::OnceLock;

use super::clock;
use super::words::*;

/// Generates values from an injectable rng and a fixed "now", so tests can
/// pin both.
pub(crate) struct Generator<'r> {
    pub(crate) rng: &'r mut fastrand::Rng,
    pub(crate) now_millis: i64,
}

struct Dynamic {
    name: &'static str,
    generate: fn(&mut Generator<'_>) -> String,
}

const DAY_MILLIS: i64 = 86_400_000;
const YEAR_MILLIS: i64 = 365 * DAY_MILLIS;

static DYNAMICS: &[Dynamic] = &[
    Dynamic {
        name: "$guid",
        generate: |g| g.uuid(),
    },
    Dynamic {
        name: "$randomUUID",
        generate: |g| g.uuid(),
    },
    Dynamic {
        name: "$timestamp",
        generate: |g| g.now_millis.div_euclid(1000).to_string(),
    },
    Dynamic {
        name: "$isoTimestamp",
        generate: |g| clock::iso_8601(g.now_millis),
    },
    Dynamic {
        name: "$randomInt",
        generate: |g| g.rng.u32(0..=1000).to_string(),
    },
    Dynamic {
        name: "$randomAlphaNumeric",
        generate: |g| g.alphanumeric_lower(1),
    },
    Dynamic {
        name: "$randomBoolean",
        generate: |g| g.rng.bool().to_string(),
    },
    Dynamic {
        name: "$randomColor",
        generate: |g| g.pick(COLORS).to_string(),
    },
    Dynamic {
        name: "$randomHexColor",
        generate: |g| format!("#{}", g.hex(6)),
    },
    Dynamic {
        name: "$randomHexaDecimal",
        generate: |g| format!("0x{}", g.hex(1)),
    },
    Dynamic {
        name: "$randomAbbreviation",
        generate: |g| g.pick(ABBREVIATIONS).to_string(),
    },
    Dynamic {
        name: "$randomIP",
        generate: |g| {
            let octets: Vec<String> = (0..4).map(|_| g.rng.u8(..).to_string()).collect();
            octets.join(".")
        },
    },
    Dynamic {
        name: "$randomIPV6",
        generate: |g| (0..8).map(|_| g.hex(4)).collect::<Vec<_>>().join(":"),
    },
    Dynamic {
        name: "$randomMACAddress",
        generate: |g| (0..6).map(|_| g.hex(2)).collect::<Vec<_>>().join(":"),
    },
    Dynamic {
        name: "$randomPassword",
        generate: |g| (0..15).map(|_| g.rng.alphanumeric()).collect(),
    },
    Dynamic {
        name: "$randomLocale",
        generate: |g| g.pick(LOCALES).to_string(),
    },
    Dynamic {
        name: "$randomUserAgent",
        generate: |g| g.pick(USER_AGENTS).to_string(),
    },
    Dynamic {
        name: "$randomProtocol",
        generate: |g| g.pick(&["http", "https"]).to_string(),
    },
    Dynamic {
        name: "$randomSemver",
        generate: |g| {
            format!(
                "{}.{}.{}",
                g.rng.u8(0..10),
                g.rng.u8(0..10),
                g.rng.u8(0..10)
            )
        },
    },
    Dynamic {
        name: "$randomFirstName",
        generate: |g| g.pick(FIRST_NAMES).to_string(),
    },
    Dynamic {
        name: "$randomLastName",
        generate: |g| g.pick(LAST_NAMES).to_string(),
    },
    Dynamic {
        name: "$randomFullName",
        generate: |g| format!("{} {}", g.pick(FIRST_NAMES), g.pick(LAST_NAMES)),
    },
    Dynamic {
        name: "$randomNamePrefix",
        generate: |g| g.pick(NAME_PREFIXES).to_string(),
    },
    Dynamic {
        name: "$randomNameSuffix",
        generate: |g| g.pick(NAME_SUFFIXES).to_string(),
    },
    Dynamic {
        name: "$randomJobTitle",
        generate: |g| {
            let (descriptor, area) = (g.pick(JOB_DESCRIPTORS), g.pick(JOB_AREAS));
            format!("{descriptor} {area} {}", g.pick(JOB_TYPES))
        },
    },
    Dynamic {
        name: "$randomEmail",
        generate: |g| format!("{}@{}", g.user_name(), g.pick(EMAIL_DOMAINS)),
    },
    Dynamic {
        name: "$randomExampleEmail",
        generate: |g| {
            let suffix = g.pick(&["com", "net", "org"]);
            format!("{}@example.{suffix}", g.user_name())
        },
    },
    Dynamic {
        name: "$randomUserName",
        generate: |g| g.user_name(),
    },
    Dynamic {
        name: "$randomUrl",
        generate: |g| format!("https://{}", g.domain_name()),
    },
    Dynamic {
        name: "$randomDomainName",
        generate: |g| g.domain_name(),
    },
    Dynamic {
        name: "$randomDomainSuffix",
        generate: |g| g.pick(DOMAIN_SUFFIXES).to_string(),
    },
    Dynamic {
        name: "$randomDomainWord",
        generate: |g| g.pick(WORDS).to_string(),
    },
    Dynamic {
        name: "$randomWord",
        generate: |g| g.pick(WORDS).to_string(),
    },
    Dynamic {
        name: "$randomWords",
        generate: |g| {
            let count = g.rng.usize(2..=4);
            g.words(WORDS, count)
        },
    },
    Dynamic {
        name: "$randomLoremWord",
        generate: |g| g.pick(LOREM).to_string(),
    },
    Dynamic {
        name: "$randomLoremWords",
        generate: |g| g.words(LOREM, 3),
    },
    Dynamic {
        name: "$randomLoremSentence",
        generate: |g| g.sentence(),
    },
    Dynamic {
        name: "$randomLoremParagraph",
        generate: |g| (0..3).map(|_| g.sentence()).collect::<Vec<_>>().join(" "),
    },
    Dynamic {
        name: "$randomCity",
        generate: |g| g.pick(CITIES).to_string(),
    },
    Dynamic {
        name: "$randomCountry",
        generate: |g| g.pick(COUNTRIES).0.to_string(),
    },
    Dynamic {
        name: "$randomCountryCode",
        generate: |g| g.pick(COUNTRIES).1.to_string(),
    },
    Dynamic {
        name: "$randomStreetName",
        generate: |g| g.street_name(),
    },
    Dynamic {
        name: "$randomStreetAddress",
        generate: |g| format!("{} {}", g.rng.u32(1..=9999), g.street_name()),
    },
    Dynamic {
        name: "$randomPhoneNumber",
        generate: |g| format!("{}-{}-{}", g.digits(3), g.digits(3), g.digits(4)),
    },
    Dynamic {
        name: "$randomPrice",
        generate: |g| format!("{}.{:02}", g.rng.u32(1..1000), g.rng.u32(0..100)),
    },
    Dynamic {
        name: "$randomCurrencyCode",
        generate: |g| g.pick(CURRENCY_CODES).to_string(),
    },
    Dynamic {
        name: "$randomDateFuture",
        generate: |g| {
            let ahead = g.rng.i64(1000..=YEAR_MILLIS);
            clock::js_date_string(g.now_millis.saturating_add(ahead))
        },
    },
    Dynamic {
        name: "$randomDatePast",
        generate: |g| {
            let back = g.rng.i64(1000..=YEAR_MILLIS);
            clock::js_date_string(g.now_millis.saturating_sub(back))
        },
    },
    Dynamic {
        name: "$randomDateRecent",
        generate: |g| {
            let back = g.rng.i64(1000..=DAY_MILLIS);
            clock::js_date_string(g.now_millis.saturating_sub(back))
        },
    },
    Dynamic {
        name: "$randomCompanyName",
        generate: |g| format!("{} {}", g.pick(LAST_NAMES), g.pick(COMPANY_SUFFIXES)),
    },
    Dynamic {
        name: "$randomProductName",
        generate: |g| {
            let (adjective, material) = (g.pick(PRODUCT_ADJECTIVES), g.pick(PRODUCT_MATERIALS));
            format!("{adjective} {material} {}", g.pick(PRODUCTS))
        },
    },
    Dynamic {
        name: "$randomDepartment",
        generate: |g| g.pick(DEPARTMENTS).to_string(),
    },
    Dynamic {
        name: "$randomFileName",
        generate: |g| {
            let (first, second) = (g.pick(WORDS), g.pick(WORDS));
            format!("{first}_{second}.{}", g.pick(FILE_TYPES).0)
        },
    },
    Dynamic {
        name: "$randomFileExt",
        generate: |g| g.pick(FILE_TYPES).0.to_string(),
    },
    Dynamic {
        name: "$randomMimeType",
        generate: |g| g.pick(FILE_TYPES).1.to_string(),
    },
    Dynamic {
        name: "$randomCreditCardMask",
        generate: |g| g.digits(4),
    },
    Dynamic {
        name: "$randomBankAccount",
        generate: |g| g.digits(8),
    },
    Dynamic {
        name: "$randomLatitude",
        generate: |g| g.coordinate(90),
    },
    Dynamic {
        name: "$randomLongitude",
        generate: |g| g.coordinate(180),
    },
];

/// Every dynamic variable name, `$` included, in documentation order.
/// `{{$env.NAME}}` is handled separately and is not listed.
pub fn dynamic_names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| DYNAMICS.iter().map(|dynamic| dynamic.name).collect())
}

/// A fresh value for the dynamic variable `name`, or `None` if there is no
/// such dynamic variable.
pub(crate) fn generate(name: &str, generator: &mut Generator<'_>) -> Option<String> {
    let dynamic = DYNAMICS.iter().find(|dynamic| dynamic.name == name)?;
    Some((dynamic.generate)(generator))
}

pub(crate) fn is_dynamic(name: &str) -> bool {
    DYNAMICS.iter().any(|dynamic| dynamic.name == name)
}

impl Generator<'_> {
    /// The word lists are non-empty constants, so indexing cannot fail.
    fn pick<T: Copy>(&mut self, list: &[T]) -> T {
        list[self.rng.usize(..list.len())]
    }

    /// A v4 UUID from the injectable rng (not the OS one `Uuid::new_v4`
    /// uses), so seeded tests are reproducible.
    fn uuid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        self.rng.fill(&mut bytes);
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string()
    }

    fn hex(&mut self, len: usize) -> String {
        (0..len).map(|_| self.rng.digit(16)).collect()
    }

    fn digits(&mut self, len: usize) -> String {
        (0..len).map(|_| self.rng.digit(10)).collect()
    }

    fn alphanumeric_lower(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| self.rng.alphanumeric().to_ascii_lowercase())
            .collect()
    }

    fn words(&mut self, list: &[&str], count: usize) -> String {
        (0..count)
            .map(|_| self.pick(list))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn sentence(&mut self) -> String {
        let count = self.rng.usize(4..=10);
        let words = self.words(LOREM, count);
        let mut chars = words.chars();
        match chars.next() {
            Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
            None => String::new(),
        }
    }

    fn user_name(&mut self) -> String {
        let (first, last) = (self.pick(FIRST_NAMES), self.pick(LAST_NAMES));
        format!("{first}.{last}{}", self.rng.u8(0..100))
    }

    fn domain_name(&mut self) -> String {
        let word = self.pick(WORDS);
        format!("{word}.{}", self.pick(DOMAIN_SUFFIXES))
    }

    fn street_name(&mut self) -> String {
        format!("{} {}", self.pick(LAST_NAMES), self.pick(STREET_SUFFIXES))
    }

    /// A decimal degree in `-max..=max` with four decimals, like `-79.9881`.
    fn coordinate(&mut self, max: i64) -> String {
        let ten_thousandths = self.rng.i64(-max * 10_000..=max * 10_000);
        let sign = if ten_thousandths < 0 { "-" } else { "" };
        let magnitude = ten_thousandths.unsigned_abs();
        format!("{sign}{}.{:04}", magnitude / 10_000, magnitude % 10_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2024-05-06T12:53:20.123Z
    const NOW_MILLIS: i64 = 1_715_000_000_123;

    fn value(name: &str, seed: u64) -> String {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut generator = Generator {
            rng: &mut rng,
            now_millis: NOW_MILLIS,
        };
        generate(name, &mut generator).unwrap()
    }

    fn all(value: &str, allowed: impl Fn(char) -> bool) -> bool {
        !value.is_empty() && value.chars().all(allowed)
    }

    fn is_lower_hex(c: char) -> bool {
        c.is_ascii_digit() || ('a'..='f').contains(&c)
    }

    fn numbers_in(value: &str, sep: char) -> Vec<i64> {
        value.split(sep).map(|part| part.parse().unwrap()).collect()
    }

    fn js_date_millis(value: &str) -> i64 {
        // Finds the instant by binary search over ISO strings, which sort
        // like instants; avoids writing a date parser just for tests.
        let fields: Vec<&str> = value.split(' ').collect();
        assert_eq!(fields.len(), 9, "{value}");
        assert_eq!(
            &fields[5..],
            ["GMT+0000", "(Coordinated", "Universal", "Time)"]
        );
        let mut low = NOW_MILLIS - 2 * YEAR_MILLIS;
        let mut high = NOW_MILLIS + 2 * YEAR_MILLIS;
        let key = |millis: i64| {
            let formatted = clock::iso_8601(millis);
            formatted[..19].to_string()
        };
        let wanted = {
            let month = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ]
            .iter()
            .position(|m| *m == fields[1])
            .unwrap()
                + 1;
            format!("{}-{month:02}-{}T{}", fields[3], fields[2], fields[4])
        };
        while low < high {
            let mid = low + (high - low) / 2;
            if key(mid) < wanted {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        assert_eq!(clock::js_date_string(low), value);
        low
    }

    /// The shape Postman gives each value; every listed name must be covered.
    fn check_shape(name: &str, v: &str) {
        let ok = match name {
            "$guid" | "$randomUUID" => {
                let uuid = uuid::Uuid::parse_str(v).unwrap();
                uuid.get_version_num() == 4 && v.len() == 36 && v == v.to_lowercase()
            }
            "$timestamp" => v == "1715000000",
            "$isoTimestamp" => v == "2024-05-06T12:53:20.123Z",
            "$randomInt" => v.parse::<u32>().is_ok_and(|n| n <= 1000),
            "$randomAlphaNumeric" => {
                v.len() == 1 && all(v, |c| c.is_ascii_lowercase() || c.is_ascii_digit())
            }
            "$randomBoolean" => v == "true" || v == "false",
            "$randomHexColor" => v.len() == 7 && v.starts_with('#') && all(&v[1..], is_lower_hex),
            "$randomHexaDecimal" => {
                v.len() == 3 && v.starts_with("0x") && all(&v[2..], is_lower_hex)
            }
            "$randomAbbreviation" | "$randomCurrencyCode" | "$randomCountryCode" => {
                all(v, |c| c.is_ascii_uppercase())
            }
            "$randomIP" => {
                v.split('.').count() == 4
                    && numbers_in(v, '.').iter().all(|n| (0..=255).contains(n))
            }
            "$randomIPV6" => {
                v.split(':').count() == 8
                    && v.split(':').all(|g| g.len() == 4 && all(g, is_lower_hex))
            }
            "$randomMACAddress" => {
                v.split(':').count() == 6
                    && v.split(':').all(|g| g.len() == 2 && all(g, is_lower_hex))
            }
            "$randomPassword" => v.len() == 15 && all(v, |c| c.is_ascii_alphanumeric()),
            "$randomLocale" => v.len() == 2 && all(v, |c| c.is_ascii_lowercase()),
            "$randomUserAgent" => v.starts_with("Mozilla/5.0 ("),
            "$randomProtocol" => v == "http" || v == "https",
            "$randomSemver" => {
                v.split('.').count() == 3 && numbers_in(v, '.').iter().all(|n| (0..10).contains(n))
            }
            "$randomFirstName" | "$randomLastName" | "$randomCity" | "$randomDepartment" => {
                v.starts_with(|c: char| c.is_ascii_uppercase()) && all(v, |c| c.is_alphabetic())
            }
            "$randomFullName" | "$randomJobTitle" | "$randomProductName" | "$randomCompanyName"
            | "$randomStreetName" => {
                v.split(' ').count() >= 2
                    && v.split(' ')
                        .all(|w| w.starts_with(|c: char| c.is_ascii_uppercase()) || w == "and")
            }
            "$randomNamePrefix" | "$randomNameSuffix" | "$randomColor" | "$randomCountry" => {
                !v.is_empty()
            }
            "$randomEmail" | "$randomExampleEmail" => {
                let (local, domain) = v.split_once('@').unwrap();
                !local.is_empty()
                    && domain.contains('.')
                    && (name != "$randomExampleEmail" || domain.starts_with("example."))
            }
            "$randomUserName" => {
                v.contains('.') && all(v, |c| c.is_ascii_alphanumeric() || c == '.')
            }
            "$randomUrl" => v
                .strip_prefix("https://")
                .is_some_and(|host| host.contains('.')),
            "$randomDomainName" => {
                v.split('.').count() == 2 && all(v, |c| c.is_ascii_lowercase() || c == '.')
            }
            "$randomDomainSuffix"
            | "$randomDomainWord"
            | "$randomWord"
            | "$randomLoremWord"
            | "$randomFileExt" => all(v, |c| c.is_ascii_lowercase() || c.is_ascii_digit()),
            "$randomWords" => (2..=4).contains(&v.split(' ').count()),
            "$randomLoremWords" => v.split(' ').count() == 3,
            "$randomLoremSentence" => {
                v.ends_with('.') && v.starts_with(|c: char| c.is_ascii_uppercase())
            }
            "$randomLoremParagraph" => v.matches(". ").count() == 2 && v.ends_with('.'),
            "$randomStreetAddress" => v
                .split_once(' ')
                .is_some_and(|(n, _)| n.parse::<u32>().is_ok()),
            "$randomPhoneNumber" => {
                let groups: Vec<&str> = v.split('-').collect();
                groups.iter().map(|g| g.len()).eq([3, 3, 4])
                    && groups.iter().all(|g| all(g, |c| c.is_ascii_digit()))
            }
            "$randomPrice" => v
                .split_once('.')
                .is_some_and(|(units, cents)| units.parse::<u32>().is_ok() && cents.len() == 2),
            "$randomDateFuture" => {
                let millis = js_date_millis(v);
                (NOW_MILLIS..=NOW_MILLIS + YEAR_MILLIS).contains(&millis)
            }
            "$randomDatePast" => {
                let millis = js_date_millis(v);
                (NOW_MILLIS - YEAR_MILLIS - 1000..NOW_MILLIS).contains(&millis)
            }
            "$randomDateRecent" => {
                let millis = js_date_millis(v);
                (NOW_MILLIS - DAY_MILLIS - 1000..NOW_MILLIS).contains(&millis)
            }
            "$randomFileName" => v
                .split_once('.')
                .is_some_and(|(stem, ext)| stem.contains('_') && !ext.is_empty()),
            "$randomMimeType" => v
                .split_once('/')
                .is_some_and(|(kind, sub)| !kind.is_empty() && !sub.is_empty()),
            "$randomCreditCardMask" => v.len() == 4 && all(v, |c| c.is_ascii_digit()),
            "$randomBankAccount" => v.len() == 8 && all(v, |c| c.is_ascii_digit()),
            "$randomLatitude" | "$randomLongitude" => {
                let max = if name == "$randomLatitude" {
                    90.0
                } else {
                    180.0
                };
                let decimals = v.split_once('.').map(|(_, d)| d.len());
                decimals == Some(4) && v.parse::<f64>().is_ok_and(|n: f64| n.abs() <= max)
            }
            _ => panic!("no shape check for {name}"),
        };
        assert!(ok, "{name} gave {v:?}");
    }

    #[test]
    fn every_dynamic_name_has_the_right_shape() {
        for seed in 0..50 {
            for name in dynamic_names() {
                let v = value(name, seed);
                assert!(!v.contains(['{', '}']), "{name} gave braces: {v:?}");
                check_shape(name, &v);
            }
        }
    }

    #[test]
    fn the_brief_s_names_are_all_listed_and_unique() {
        let names = dynamic_names();
        assert_eq!(names.len(), 59);
        let mut sorted = names.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
        assert!(names
            .iter()
            .all(|name| name.starts_with('$') && is_dynamic(name)));
        assert!(!is_dynamic("$env.HOME") && !is_dynamic("guid"));
    }

    #[test]
    fn unknown_names_generate_nothing() {
        let mut rng = fastrand::Rng::with_seed(1);
        let mut generator = Generator {
            rng: &mut rng,
            now_millis: 0,
        };
        assert_eq!(generate("$nope", &mut generator), None);
    }

    #[test]
    fn same_seed_same_values_different_seed_different_values() {
        assert_eq!(value("$guid", 3), value("$guid", 3));
        assert_ne!(value("$guid", 3), value("$guid", 4));
    }

    #[test]
    fn word_lists_are_plain_and_non_empty() {
        let lists: &[&[&str]] = &[
            FIRST_NAMES,
            LAST_NAMES,
            NAME_PREFIXES,
            NAME_SUFFIXES,
            JOB_DESCRIPTORS,
            JOB_AREAS,
            JOB_TYPES,
            COLORS,
            ABBREVIATIONS,
            LOCALES,
            USER_AGENTS,
            EMAIL_DOMAINS,
            DOMAIN_SUFFIXES,
            WORDS,
            LOREM,
            CITIES,
            STREET_SUFFIXES,
            CURRENCY_CODES,
            COMPANY_SUFFIXES,
            PRODUCT_ADJECTIVES,
            PRODUCT_MATERIALS,
            PRODUCTS,
            DEPARTMENTS,
        ];
        for list in lists {
            assert!(!list.is_empty());
            assert!(list
                .iter()
                .all(|w| !w.is_empty() && !w.contains(['{', '}'])));
        }
        // Domain, file and user names are built from these.
        assert!(WORDS
            .iter()
            .all(|w| w.chars().all(|c| c.is_ascii_lowercase())));
        assert!(FIRST_NAMES
            .iter()
            .chain(LAST_NAMES)
            .all(|w| w.chars().all(|c| c.is_ascii_alphabetic())));
    }
}
