use super::*;
use serde_json::json;

fn rows(text: &str) -> Value {
    Value::Array(
        parse(text.as_bytes(), "data.csv")
            .unwrap()
            .into_iter()
            .map(Value::Object)
            .collect(),
    )
}

#[test]
fn newmans_comma_test_csv() {
    // test/integration/comma-test-csv in newman, and what its script asserts.
    let text = "nameWithComma,nameWithDoubleQuotes,numberWithQuotes,numberWithoutQuotes,negativeNumberWithoutQuotes,nullValue,longNumber, spaceAfterComma ,spaceBeforeComma, nameWithUnescapedQuotes\n\"Abhijit, Kane\",\"Abhijit \"\"KDOS\"\" Kane\",\"00123\",7890,-7890,,\"89111702272002019559\", \"foo\" ,\"bar\", Abhijit \"KDOS\" Kane\n";
    assert_eq!(
        rows(text),
        json!([{
            "nameWithComma": "Abhijit, Kane",
            "nameWithDoubleQuotes": "Abhijit \"KDOS\" Kane",
            "numberWithQuotes": "00123",
            "numberWithoutQuotes": 7890,
            "negativeNumberWithoutQuotes": -7890,
            "nullValue": "",
            "longNumber": "89111702272002019559",
            "spaceAfterComma": "foo",
            "spaceBeforeComma": "bar",
            "nameWithUnescapedQuotes": "Abhijit \"KDOS\" Kane"
        }])
    );
}

#[test]
fn bom_short_rows_and_quotes_inside_unquoted_fields() {
    // test/integration/csv-with-bom: `c3` is undefined.
    let got = parse(
        b"\xEF\xBB\xBFc1, c2, c3\n\"123\", foo \"bar\" baz\n",
        "bom.csv",
    )
    .unwrap();
    assert_eq!(
        Value::Object(got[0].clone()),
        json!({"c1": "123", "c2": "foo \"bar\" baz"})
    );
    assert_eq!(got.len(), 1);
}

#[test]
fn crlf_quoted_newlines_empty_cells_long_rows_and_empty_lines() {
    let text = "a,b,c\r\n\"x\r\ny\",,\"say \"\"hi\"\"\"\r\n1,2,3,4,5\r\n\r\n,\"\",\r\n";
    assert_eq!(
        rows(text),
        json!([
            {"a": "x\r\ny", "b": "", "c": "say \"hi\""},
            {"a": 1, "b": 2, "c": 3},
            {"a": ""},
            {"a": "", "b": "", "c": ""}
        ])
    );
    // The first line break decides: here a lone LF inside a field is text.
    assert_eq!(rows("a,b\r\nx\ny,2\r\n"), json!([{"a": "x\ny", "b": 2}]));
    // Old Mac line ends.
    assert_eq!(rows("a\r1\r2"), json!([{"a": 1}, {"a": 2}]));
    assert_eq!(rows("a,b\n"), json!([]));
    assert_eq!(rows(""), json!([]));
}

#[test]
fn unquoted_numbers_are_cast_as_newman_casts_them() {
    let text = "i,f,e,z,lead,hex,word,inf,neg0,big,dot\n12,1.50,1e3,0,007,0x10,12abc,Infinity,-0,123456789012345678901,.5\n";
    assert_eq!(
        rows(text),
        json!([{
            "i": 12, "f": 1.5, "e": 1000, "z": 0, "lead": 7,
            // parseFloat stops at the `x`, as in newman.
            "hex": 0,
            "word": "12abc", "inf": "Infinity", "neg0": 0,
            "big": 123456789012345680000.0_f64, "dot": 0.5
        }])
    );
}

#[test]
fn errors_name_the_file_and_line() {
    let e = parse(b"a,b\n1,\"open\n2,3\n", "d.csv").unwrap_err();
    assert!(
        matches!(e, DataError::UnclosedQuote { line: 2, .. }),
        "{e:?}"
    );
    assert!(e.to_string().starts_with("d.csv: line 2:"), "{e}");
    let e = parse(b"a,b\n1,2\n\"x\"y,3\n", "d.csv").unwrap_err();
    assert!(
        matches!(e, DataError::TextAfterQuote { line: 3, .. }),
        "{e:?}"
    );
    let e = parse(b"a,1\nx,y\n", "d.csv").unwrap_err();
    assert!(
        matches!(&e, DataError::NumericColumn { column: 2, name, .. } if name == "1"),
        "{e:?}"
    );
    // Quoted, the same name is fine.
    assert_eq!(rows("a,\"1\"\nx,y\n"), json!([{"a": "x", "1": "y"}]));
}

#[test]
fn json_lists_other_json_and_broken_json() {
    assert_eq!(
        rows(" [{\"key\":\"value\"}, {\"key\": 2, \"n\": {\"deep\": [1]}}]\n"),
        json!([{"key": "value"}, {"key": 2, "n": {"deep": [1]}}])
    );
    // What newman runs once with no data.
    assert_eq!(rows("{\"a\": 1}"), json!([{}]));
    assert_eq!(rows("[1, {\"a\": 1}]"), json!([{}, {"a": 1}]));
    // Falsy JSON is read as CSV, as newman does: a header and no rows.
    assert_eq!(rows("null"), json!([]));
    let e = parse(b"[\n  {\"a\": 1},\n]\n", "d.json").unwrap_err();
    assert!(
        matches!(
            e,
            DataError::Json {
                line: 3,
                column: 1,
                ..
            }
        ),
        "{e:?}"
    );
    // UTF-16LE with a BOM.
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("[{\"k\": \"é\"}]".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(parse(&bytes, "d.json").unwrap()[0]["k"], "é");
}

#[test]
fn javascript_numbers() {
    assert_eq!(js_to_number(" 12 "), 12.0);
    assert_eq!(js_to_number(""), 0.0);
    assert_eq!(js_to_number("0b101"), 5.0);
    assert_eq!(js_to_number("-Infinity"), f64::NEG_INFINITY);
    assert!(js_to_number("1e").is_nan());
    assert!(js_to_number("-0x10").is_nan());
    assert!(js_to_number(".").is_nan());
    assert_eq!(js_parse_float("3.5kg"), 3.5);
    assert_eq!(js_parse_float("5."), 5.0);
    assert!(js_parse_float("kg").is_nan());
    assert_eq!(js_number_text(1e21), "1e+21");
    assert_eq!(js_number_text(1.5e-7), "1.5e-7");
    assert_eq!(js_number_text(0.000001), "0.000001");
    assert_eq!(js_number_text(-0.0), "0");
    assert_eq!(js_number_text(100.0), "100");
    assert_eq!(js_number(f64::NAN), Value::Null);
    assert_eq!(js_number(3.0), json!(3));
}

/// Cases checked against csv-parse 4.16.3 run with newman's options (and
/// 9,000 random ones, which all agreed).
#[test]
fn corner_cases_agree_with_csv_parse() {
    assert_eq!(
        rows("a,b\n1,2\n\n3,4\n"),
        json!([{"a": 1, "b": 2}, {"a": ""}, {"a": 3, "b": 4}])
    );
    assert_eq!(
        rows("a, b \n \"q\" , r \t\n"),
        json!([{"a": "q", "b": "r"}])
    );
    assert_eq!(rows("a,a\n1,2"), json!([{"a": 2}]));
    assert_eq!(rows(",\n1,2"), json!([{"": 2}]));
    assert_eq!(rows("a\n\"\"\n"), json!([{"a": ""}]));
    assert!(matches!(
        parse(b"\"\" \"x\"\n1", "d.csv"),
        Err(DataError::TextAfterQuote { line: 1, .. })
    ));
    assert!(matches!(
        parse(b"x\n\"a\"\"\n", "d.csv"),
        Err(DataError::UnclosedQuote { line: 2, .. })
    ));
}
