//! Where spans go, from `--otlp-endpoint`, the standard `OTEL_*`
//! variables and the workspace's `telemetry` settings, in that order.
//! Nothing set: export is off (no client, no thread, no connection).

use std::time::Duration;

use crate::model::TelemetrySettings;

/// A dead collector costs at most this per export (unless
/// `OTEL_EXPORTER_OTLP_TIMEOUT` says otherwise).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);

/// The one wire format built in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// OTLP/HTTP with protobuf bodies (`http/protobuf`, port 4318).
    HttpProtobuf,
}

/// A resolved OTLP trace export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtlpConfig {
    /// The full traces URL (`…/v1/traces`).
    pub traces_url: String,
    /// Extra headers for the collector (`OTEL_EXPORTER_OTLP_HEADERS`).
    pub headers: Vec<(String, String)>,
    pub service_name: String,
    pub timeout: Duration,
    pub protocol: Protocol,
}

/// `base` + `/v1/traces`, as the OTLP spec builds signal URLs from
/// `OTEL_EXPORTER_OTLP_ENDPOINT`.
fn traces_url(base: &str) -> String {
    format!("{}/v1/traces", base.trim_end_matches('/'))
}

fn check_url(url: &str, from: &str) -> Result<(), String> {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(()),
        _ => Err(format!("{from}: {url:?} is not an http(s) URL")),
    }
}

/// `k1=v1,k2=v2`, values percent-decoded (the OTLP exporter spec).
pub fn parse_headers(s: &str) -> Vec<(String, String)> {
    (s.split(','))
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            let k = k.trim();
            let v = percent_encoding::percent_decode_str(v.trim()).decode_utf8_lossy();
            (!k.is_empty()).then(|| (k.to_string(), v.into_owned()))
        })
        .collect()
}

/// The export to do, if any. `flag` is `--otlp-endpoint` (a base URL, as
/// `OTEL_EXPORTER_OTLP_ENDPOINT`); `env` reads the environment (a test
/// gives its own). An error says why export is off despite being asked.
pub fn resolve(
    flag: Option<&str>,
    settings: Option<&TelemetrySettings>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<OtlpConfig>, String> {
    let var = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    let traces_url = if let Some(base) = flag.filter(|f| !f.trim().is_empty()) {
        check_url(base, "--otlp-endpoint")?;
        traces_url(base)
    } else if let Some(url) = var("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
        // The signal's own variable is used as is.
        check_url(&url, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")?;
        url
    } else if let Some(base) = var("OTEL_EXPORTER_OTLP_ENDPOINT") {
        check_url(&base, "OTEL_EXPORTER_OTLP_ENDPOINT")?;
        traces_url(&base)
    } else if let Some(base) = settings.and_then(|s| s.otlp_endpoint.as_deref()) {
        check_url(base, "postie.json telemetry.otlp_endpoint")?;
        traces_url(base)
    } else {
        return Ok(None);
    };
    let protocol =
        var("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL").or_else(|| var("OTEL_EXPORTER_OTLP_PROTOCOL"));
    let protocol = match protocol.as_deref().map(str::trim) {
        None | Some("http/protobuf") => Protocol::HttpProtobuf,
        Some(other) => {
            return Err(format!(
                "OTLP protocol {other:?} is not supported; postie exports http/protobuf \
                 (the collector's port 4318)"
            ))
        }
    };
    let headers = var("OTEL_EXPORTER_OTLP_TRACES_HEADERS")
        .or_else(|| var("OTEL_EXPORTER_OTLP_HEADERS"))
        .map(|h| parse_headers(&h))
        .unwrap_or_default();
    let timeout = var("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT")
        .or_else(|| var("OTEL_EXPORTER_OTLP_TIMEOUT"))
        .and_then(|ms| ms.trim().parse::<u64>().ok())
        .map_or(DEFAULT_TIMEOUT, Duration::from_millis);
    let service_name = var("OTEL_SERVICE_NAME")
        .or_else(|| settings.and_then(|s| s.service_name.clone()))
        .unwrap_or_else(|| "postie".to_string());
    Ok(Some(OtlpConfig {
        traces_url,
        headers,
        service_name,
        timeout,
        protocol,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = (vars.iter())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn nothing_set_is_off() {
        assert_eq!(resolve(None, None, &env(&[])), Ok(None));
        let empty = TelemetrySettings::default();
        assert_eq!(resolve(None, Some(&empty), &env(&[])), Ok(None));
    }

    #[test]
    fn the_flag_wins_then_the_variables_then_the_workspace() {
        let ws = TelemetrySettings {
            otlp_endpoint: Some("http://ws:4318".into()),
            service_name: Some("api-tests".into()),
            ..TelemetrySettings::default()
        };
        let vars = env(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://env:4318/")]);
        let c = resolve(Some("http://flag:4318"), Some(&ws), &vars)
            .unwrap()
            .unwrap();
        assert_eq!(c.traces_url, "http://flag:4318/v1/traces");
        let c = resolve(None, Some(&ws), &vars).unwrap().unwrap();
        assert_eq!(c.traces_url, "http://env:4318/v1/traces");
        assert_eq!(c.service_name, "api-tests");
        let c = resolve(None, Some(&ws), &env(&[])).unwrap().unwrap();
        assert_eq!(
            (c.traces_url.as_str(), c.timeout),
            ("http://ws:4318/v1/traces", DEFAULT_TIMEOUT)
        );
        // The signal's own variable is taken as the whole URL.
        let vars = env(&[
            ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:9999/traces"),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://env:4318"),
            ("OTEL_SERVICE_NAME", "svc"),
            (
                "OTEL_EXPORTER_OTLP_HEADERS",
                "x-team=api,authorization=Bearer%20abc",
            ),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "1500"),
        ]);
        let c = resolve(None, Some(&ws), &vars).unwrap().unwrap();
        assert_eq!(c.traces_url, "http://c:9999/traces");
        assert_eq!(c.service_name, "svc");
        assert_eq!(c.timeout, Duration::from_millis(1500));
        assert_eq!(
            c.headers,
            vec![
                ("x-team".to_string(), "api".to_string()),
                ("authorization".to_string(), "Bearer abc".to_string())
            ]
        );
    }

    #[test]
    fn grpc_and_bad_urls_are_refused_with_a_reason() {
        let vars = env(&[("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")]);
        let e = resolve(Some("http://c:4317"), None, &vars).unwrap_err();
        assert!(e.contains("http/protobuf"), "{e}");
        let e = resolve(Some("localhost:4318"), None, &env(&[])).unwrap_err();
        assert!(e.contains("--otlp-endpoint"), "{e}");
    }
}
