//! `--rule-schema`: the JSON schema of a rules file, as Falco publishes it (the items and keys its
//! rules loader reads).

use serde_json::{Value as Json, json};

pub fn rule_schema() -> Json {
    let string = json!({"type": "string"});
    let strings = json!({"type": "array", "items": {"type": "string"}});
    json!({
        "$schema": "http://json-schema.org/draft-06/schema#",
        "type": "array",
        "items": {"$ref": "#/definitions/FalcoRule"},
        "definitions": {
            "FalcoRule": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "required_engine_version": string,
                    "required_plugin_versions": {"type": "array", "items": {"$ref": "#/definitions/RequiredPluginVersion"}},
                    "macro": string,
                    "condition": string,
                    "list": string,
                    "items": {"type": "array", "items": {"$ref": "#/definitions/Item"}},
                    "rule": string,
                    "desc": string,
                    "enabled": {"type": "boolean"},
                    "output": string,
                    "append": {"type": "boolean"},
                    "priority": {"$ref": "#/definitions/Priority"},
                    "capture": {"type": "boolean"},
                    "capture_duration": {"type": "integer"},
                    "source": string,
                    "exceptions": {"type": "array", "items": {"$ref": "#/definitions/Exception"}},
                    "override": {"$ref": "#/definitions/Override"},
                    "tags": strings,
                    "warn_evttypes": {"type": "boolean"},
                    "skip-if-unknown-filter": {"type": "boolean"},
                },
                "required": [],
                "title": "FalcoRule",
            },
            "Item": {"anyOf": [{"type": "integer"}, {"type": "string"}], "title": "Item"},
            "Exception": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "name": string,
                    "fields": {"anyOf": [strings, string]},
                    "comps": {"anyOf": [strings, string]},
                    "values": {},
                },
                "required": ["name"],
                "title": "Exception",
            },
            "Priority": {
                "type": "string",
                "enum": ["WARNING", "NOTICE", "INFO", "ERROR", "CRITICAL", "DEBUG", "EMERGENCY", "ALERT",
                         "Warning", "Notice", "Info", "Informational", "Error", "Critical", "Debug", "Emergency", "Alert",
                         "warning", "notice", "info", "informational", "error", "critical", "debug", "emergency", "alert"],
                "title": "Priority",
            },
            "OverriddenItem": {"type": "string", "enum": ["append", "replace"], "title": "Priority"},
            "Override": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "items": {"$ref": "#/definitions/OverriddenItem"},
                    "desc": {"$ref": "#/definitions/OverriddenItem"},
                    "condition": {"$ref": "#/definitions/OverriddenItem"},
                    "output": {"$ref": "#/definitions/OverriddenItem"},
                    "priority": {"$ref": "#/definitions/OverriddenItem"},
                    "enabled": {"$ref": "#/definitions/OverriddenItem"},
                    "exceptions": {"$ref": "#/definitions/OverriddenItem"},
                    "capture": {"$ref": "#/definitions/OverriddenItem"},
                    "capture_duration": {"$ref": "#/definitions/OverriddenItem"},
                    "tags": {"$ref": "#/definitions/OverriddenItem"},
                    "warn_evttypes": {"$ref": "#/definitions/OverriddenItem"},
                    "skip-if-unknown-filter": {"$ref": "#/definitions/OverriddenItem"},
                },
                "minProperties": 1,
                "title": "Override",
            },
            "RequiredPluginVersion": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "name": string,
                    "version": string,
                    "alternatives": {"type": "array", "items": {"$ref": "#/definitions/Alternative"}},
                },
                "required": ["name", "version"],
                "title": "RequiredPluginVersion",
            },
            "Alternative": {
                "type": "object",
                "additionalProperties": false,
                "properties": {"name": string, "version": string},
                "required": ["name", "version"],
                "title": "Alternative",
            },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_of_the_repository_fit_the_schema_keys() {
        let s = rule_schema();
        let props = s["definitions"]["FalcoRule"]["properties"]
            .as_object()
            .unwrap();
        for k in ["rule", "macro", "list", "exceptions", "override", "capture"] {
            assert!(props.contains_key(k), "{k}");
        }
    }
}
