-- An organisation's document control (7.5.3): which roles read each
-- classification and which role approves each document type, as JSON
-- (borgen_core::document::Rules); '{}' is the default for every part.
ALTER TABLE organisations ADD COLUMN document_rules TEXT NOT NULL DEFAULT '{}';

-- The scope statement's parts (4.3) on its version, as JSON
-- (borgen_core::scope::Parts): units, locations, processes, systems,
-- interfaces, exclusions with their justification. NULL for other documents.
ALTER TABLE document_versions ADD COLUMN scope_parts TEXT;
