use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{default_true, is_true, Extra};

/// Variables of a collection, folder or environment, in file order.
///
/// On disk an object: `{"base_url": "http://…", "token": {"secret": true}}`.
/// A plain string is the short form; the object form adds `secret`,
/// `enabled` and `description`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Variables(pub Vec<(String, Variable)>);

#[derive(Debug, Clone, PartialEq)]
pub enum Variable {
    Plain(String),
    Detailed {
        value: Option<String>,
        /// The value lives only in the local secrets file or the process
        /// environment, never in a committed file.
        secret: bool,
        enabled: bool,
        description: Option<String>,
        extra: Extra,
    },
}

impl Variable {
    /// A secret declared with no value here: it lives in the local secrets
    /// file or the process environment.
    pub fn secret_declaration() -> Variable {
        Variable::Detailed {
            value: None,
            secret: true,
            enabled: true,
            description: None,
            extra: Default::default(),
        }
    }

    /// The value written in the file, if any (a secret has none there).
    pub fn value(&self) -> Option<&str> {
        match self {
            Variable::Plain(v) => Some(v),
            Variable::Detailed { value, .. } => value.as_deref(),
        }
    }

    pub fn is_secret(&self) -> bool {
        matches!(self, Variable::Detailed { secret: true, .. })
    }

    pub fn is_enabled(&self) -> bool {
        match self {
            Variable::Plain(_) => true,
            Variable::Detailed { enabled, .. } => *enabled,
        }
    }
}

impl Variables {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, name: &str) -> Option<&Variable> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Enabled variables with a value in the file, as name/value pairs.
    pub fn values(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(_, v)| v.is_enabled())
            .filter_map(|(n, v)| v.value().map(|val| (n.clone(), val.to_string())))
            .collect()
    }
}

#[derive(Serialize, Deserialize)]
struct DetailedRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    secret: bool,
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(flatten)]
    extra: Extra,
}

impl Serialize for Variable {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Variable::Plain(v) => s.serialize_str(v),
            Variable::Detailed {
                value,
                secret,
                enabled,
                description,
                extra,
            } => DetailedRepr {
                // A secret's value is never written to a committed file.
                value: if *secret { None } else { value.clone() },
                secret: *secret,
                enabled: *enabled,
                description: description.clone(),
                extra: extra.clone(),
            }
            .serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Variable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Variable;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a string value or an object with `value`, `secret`, `enabled`, `description`",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Variable, E> {
                Ok(Variable::Plain(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Variable, E> {
                Ok(Variable::Plain(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Variable, A::Error> {
                let r = DetailedRepr::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Variable::Detailed {
                    value: r.value,
                    secret: r.secret,
                    enabled: r.enabled,
                    description: r.description,
                    extra: r.extra,
                })
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Variables {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Variables {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Variables;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object mapping variable names to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Variables, A::Error> {
                let mut out: Vec<(String, Variable)> = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    if out.iter().any(|(n, _)| *n == k) {
                        return Err(de::Error::custom(format!(
                            "variable `{k}` is defined twice"
                        )));
                    }
                    let v = map.next_value::<Variable>()?;
                    out.push((k, v));
                }
                Ok(Variables(out))
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_forms_round_trip_in_order() {
        let src = r#"{"b":"1","a":{"secret":true},"c":{"value":"x","enabled":false,"note":7}}"#;
        let v: Variables = serde_json::from_str(src).unwrap();
        assert_eq!(v.0[0].0, "b");
        assert!(v.get("a").unwrap().is_secret());
        assert_eq!(serde_json::to_string(&v).unwrap(), src);
    }

    #[test]
    fn a_secret_value_is_never_serialized() {
        let v = Variables(vec![(
            "t".into(),
            Variable::Detailed {
                value: Some("hunter2".into()),
                secret: true,
                enabled: true,
                description: None,
                extra: Extra::new(),
            },
        )]);
        assert!(!serde_json::to_string(&v).unwrap().contains("hunter2"));
    }

    #[test]
    fn duplicate_names_are_an_error_with_a_position() {
        let e = serde_json::from_str::<Variables>("{\"a\":\"1\",\n\"a\":\"2\"}").unwrap_err();
        assert!(e.to_string().contains("defined twice"), "{e}");
        assert_eq!(e.line(), 2);
    }
}
