//! Postman's ids for a collection's folders and requests, which the import
//! drops (postie names items by their files) but a run needs:
//! `setNextRequest` may name a request by id, and reports carry them.

use serde_json::{Map, Value};

use super::{children, json, Child};

/// A collection's or folder's id, and its items' ids in the importer's
/// order: `items[i]` belongs to the i-th imported item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdTree {
    pub id: Option<String>,
    pub items: Vec<IdNode>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdNode {
    Folder(IdTree),
    Request(Option<String>),
}

/// The ids of a v2.x collection document. The collection's id is
/// `info._postman_id` (or `info.id`); an item's is `id`, else `_postman_id`
/// (v2.0), as postman-collection reads them.
pub fn of(document: &Value) -> IdTree {
    let Value::Object(root) = document else {
        return IdTree::default();
    };
    let id = match root.get("info") {
        Some(Value::Object(info)) => own_id(info),
        _ => own_id(root),
    };
    IdTree {
        id,
        items: items(root),
    }
}

fn items(o: &Map<String, Value>) -> Vec<IdNode> {
    children(o)
        .map(|child| match child {
            Child::Folder(f) => IdNode::Folder(IdTree {
                id: own_id(f),
                items: items(f),
            }),
            Child::Request(r) => IdNode::Request(own_id(r)),
        })
        .collect()
}

fn own_id(o: &Map<String, Value>) -> Option<String> {
    json::text(o.get("id"))
        .filter(|s| !s.is_empty())
        .or_else(|| json::text(o.get("_postman_id")).filter(|s| !s.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_follow_the_importers_skips_and_nesting() {
        let doc = json!({
            "info": {"_postman_id": "c1", "name": "C"},
            "item": [
                "not an item",
                {"id": "f1", "name": "F", "item": [
                    {"_postman_id": "r1", "name": "R1", "request": "http://x/"},
                    {"name": "no id", "request": "http://x/"}
                ]},
                {"id": 7, "name": "R2", "request": "http://x/"},
                {"name": "empty folder", "item": []}
            ]
        });
        let tree = of(&doc);
        assert_eq!(tree.id.as_deref(), Some("c1"));
        assert_eq!(
            tree.items,
            vec![
                IdNode::Folder(IdTree {
                    id: Some("f1".into()),
                    items: vec![IdNode::Request(Some("r1".into())), IdNode::Request(None)],
                }),
                IdNode::Request(Some("7".into())),
                IdNode::Folder(IdTree {
                    id: None,
                    items: vec![]
                }),
            ]
        );
    }
}
