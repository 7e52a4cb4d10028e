//! Small built-in word lists for the faker-style dynamic values. A couple of
//! dozen entries each is enough for plausible test data.

pub(crate) const FIRST_NAMES: &[&str] = &[
    "Ada", "Alan", "Amara", "Ben", "Chloe", "Diego", "Elena", "Farah", "Grace", "Hiro", "Ines",
    "Jamal", "Kira", "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Ravi", "Sofia", "Tomas",
    "Uma", "Yusuf",
];

pub(crate) const LAST_NAMES: &[&str] = &[
    "Anderson", "Brown", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Hansen", "Ito",
    "Johnson", "Kowalski", "Lopez", "Martin", "Nakamura", "Okafor", "Patel", "Rossi", "Schmidt",
    "Silva", "Taylor", "Walker", "Yilmaz",
];

pub(crate) const NAME_PREFIXES: &[&str] = &["Mr.", "Mrs.", "Ms.", "Miss", "Dr."];

pub(crate) const NAME_SUFFIXES: &[&str] = &[
    "Jr.", "Sr.", "I", "II", "III", "IV", "V", "MD", "DDS", "PhD", "DVM",
];

pub(crate) const JOB_DESCRIPTORS: &[&str] = &[
    "Lead",
    "Senior",
    "Direct",
    "Corporate",
    "Dynamic",
    "Future",
    "Product",
    "National",
    "Regional",
    "District",
    "Central",
    "Global",
    "Principal",
    "Chief",
];

pub(crate) const JOB_AREAS: &[&str] = &[
    "Solutions",
    "Program",
    "Brand",
    "Security",
    "Research",
    "Marketing",
    "Directives",
    "Implementation",
    "Integration",
    "Functionality",
    "Response",
    "Paradigm",
    "Tactics",
    "Identity",
    "Markets",
    "Group",
    "Accounts",
    "Data",
    "Operations",
];

pub(crate) const JOB_TYPES: &[&str] = &[
    "Supervisor",
    "Associate",
    "Executive",
    "Liaison",
    "Officer",
    "Manager",
    "Engineer",
    "Specialist",
    "Director",
    "Coordinator",
    "Administrator",
    "Architect",
    "Analyst",
    "Designer",
    "Planner",
    "Developer",
    "Consultant",
    "Agent",
    "Representative",
    "Strategist",
];

pub(crate) const COLORS: &[&str] = &[
    "red", "orange", "yellow", "green", "blue", "indigo", "violet", "black", "white", "gray",
    "maroon", "olive", "teal", "navy", "fuchsia", "purple", "silver", "lime", "cyan", "magenta",
    "orchid", "salmon", "plum", "tan",
];

pub(crate) const ABBREVIATIONS: &[&str] = &[
    "ADP", "AGP", "AI", "CSS", "EXE", "FTP", "GB", "HDD", "HTTP", "IB", "JSON", "PCI", "RAM",
    "SAS", "SCSI", "SDD", "SMS", "SMTP", "SQL", "SSL", "TCP", "THX", "USB", "XML", "XSS",
];

pub(crate) const LOCALES: &[&str] = &[
    "en", "de", "fr", "es", "it", "pt", "nl", "sv", "nb", "da", "fi", "pl", "cs", "tr", "ru", "uk",
    "ja", "ko", "zh", "ar", "he", "hi", "id", "vi",
];

pub(crate) const USER_AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
];

pub(crate) const EMAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "proton.me",
];

pub(crate) const DOMAIN_SUFFIXES: &[&str] = &[
    "com", "net", "org", "info", "biz", "name", "io", "dev", "app", "co",
];

/// Nouns and adjectives for `$randomWord(s)`, domain words and product names.
pub(crate) const WORDS: &[&str] = &[
    "bandwidth",
    "matrix",
    "protocol",
    "circuit",
    "firewall",
    "pixel",
    "array",
    "driver",
    "monitor",
    "panel",
    "feed",
    "card",
    "alarm",
    "sensor",
    "bus",
    "system",
    "capacitor",
    "program",
    "interface",
    "microchip",
    "port",
    "transmitter",
    "application",
    "feedback",
];

pub(crate) const LOREM: &[&str] = &[
    "lorem",
    "ipsum",
    "dolor",
    "sit",
    "amet",
    "consectetur",
    "adipisci",
    "velit",
    "sed",
    "quia",
    "non",
    "numquam",
    "eius",
    "modi",
    "tempora",
    "incidunt",
    "ut",
    "labore",
    "et",
    "dolore",
    "magnam",
    "aliquam",
    "quaerat",
    "voluptatem",
    "nobis",
    "est",
    "vel",
    "repellat",
];

pub(crate) const CITIES: &[&str] = &[
    "Lisbon",
    "Nairobi",
    "Osaka",
    "Toronto",
    "Lyon",
    "Bergen",
    "Austin",
    "Curitiba",
    "Krakow",
    "Melbourne",
    "Seville",
    "Pune",
    "Leeds",
    "Tampere",
    "Busan",
    "Accra",
    "Porto",
    "Denver",
];

/// Country names and their ISO 3166-1 alpha-2 codes.
pub(crate) const COUNTRIES: &[(&str, &str)] = &[
    ("Argentina", "AR"),
    ("Australia", "AU"),
    ("Brazil", "BR"),
    ("Canada", "CA"),
    ("Egypt", "EG"),
    ("France", "FR"),
    ("Germany", "DE"),
    ("Ghana", "GH"),
    ("India", "IN"),
    ("Japan", "JP"),
    ("Kenya", "KE"),
    ("Mexico", "MX"),
    ("Netherlands", "NL"),
    ("Norway", "NO"),
    ("Poland", "PL"),
    ("Portugal", "PT"),
    ("South Korea", "KR"),
    ("Spain", "ES"),
    ("Sweden", "SE"),
    ("Turkey", "TR"),
    ("United Kingdom", "GB"),
    ("United States", "US"),
    ("Vietnam", "VN"),
];

pub(crate) const STREET_SUFFIXES: &[&str] = &[
    "Street",
    "Avenue",
    "Road",
    "Lane",
    "Boulevard",
    "Drive",
    "Court",
    "Place",
    "Terrace",
    "Way",
    "Square",
    "Parkway",
];

pub(crate) const CURRENCY_CODES: &[&str] = &[
    "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK",
    "INR", "BRL", "MXN", "ZAR", "KES", "CNY", "KRW", "TRY", "CDF",
];

pub(crate) const COMPANY_SUFFIXES: &[&str] = &["Inc", "LLC", "Group", "and Sons", "Ltd", "GmbH"];

pub(crate) const PRODUCT_ADJECTIVES: &[&str] = &[
    "Handcrafted",
    "Ergonomic",
    "Rustic",
    "Intelligent",
    "Gorgeous",
    "Incredible",
    "Sleek",
    "Practical",
    "Refined",
    "Licensed",
    "Tasty",
    "Small",
    "Generic",
    "Awesome",
];

pub(crate) const PRODUCT_MATERIALS: &[&str] = &[
    "Steel", "Wooden", "Concrete", "Plastic", "Cotton", "Granite", "Rubber", "Metal", "Soft",
    "Fresh", "Frozen", "Bronze",
];

pub(crate) const PRODUCTS: &[&str] = &[
    "Chair", "Car", "Computer", "Keyboard", "Mouse", "Bike", "Ball", "Gloves", "Pants", "Shirt",
    "Table", "Shoes", "Hat", "Towels", "Soap", "Tuna", "Chicken", "Fish", "Cheese", "Bacon",
    "Pizza", "Salad", "Sausages", "Chips",
];

pub(crate) const DEPARTMENTS: &[&str] = &[
    "Books",
    "Movies",
    "Music",
    "Games",
    "Electronics",
    "Computers",
    "Home",
    "Garden",
    "Tools",
    "Grocery",
    "Health",
    "Beauty",
    "Toys",
    "Kids",
    "Baby",
    "Clothing",
    "Shoes",
    "Jewelery",
    "Sports",
    "Outdoors",
    "Automotive",
    "Industrial",
];

/// File extensions with their MIME types, so `$randomFileName` and
/// `$randomMimeType` stay realistic.
pub(crate) const FILE_TYPES: &[(&str, &str)] = &[
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("pdf", "application/pdf"),
    ("zip", "application/zip"),
    ("gz", "application/gzip"),
    ("csv", "text/csv"),
    ("txt", "text/plain"),
    ("html", "text/html"),
    ("css", "text/css"),
    ("js", "text/javascript"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("gif", "image/gif"),
    ("svg", "image/svg+xml"),
    ("webp", "image/webp"),
    ("mp3", "audio/mpeg"),
    ("wav", "audio/wav"),
    ("mp4", "video/mp4"),
    ("webm", "video/webm"),
    ("woff2", "font/woff2"),
    ("wasm", "application/wasm"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
];
