"""An affiliation is always an organization.

CHECK constraints cannot read the affiliated row, so triggers enforce it on
both sides: a speaker cannot be affiliated with a person, and an organization
with members cannot become a person.
"""

from apps.core.dbsql import TriggerSet, register

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION sources_speaker_affiliation_is_organization() RETURNS trigger AS $$
    BEGIN
        IF NEW.affiliation_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM sources_speaker s
            WHERE s.id = NEW.affiliation_id AND s.kind = 'organization'
        ) THEN
            RAISE EXCEPTION 'speaker % can only be affiliated with an organization', NEW.id
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.kind <> 'organization' AND EXISTS (
            SELECT 1 FROM sources_speaker s WHERE s.affiliation_id = NEW.id
        ) THEN
            RAISE EXCEPTION 'speaker % has members and must stay an organization', NEW.id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER sources_speaker_affiliation_is_organization
    BEFORE INSERT OR UPDATE ON sources_speaker
    FOR EACH ROW EXECUTE FUNCTION sources_speaker_affiliation_is_organization();
    """,
]

_SQLITE_AFFILIATION = """
    WHEN NEW.affiliation_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM sources_speaker s WHERE s.id = NEW.affiliation_id AND s.kind = 'organization'
    )
    BEGIN
        SELECT RAISE(ABORT, 'a speaker can only be affiliated with an organization');
    END;
"""

SQLITE = [
    "CREATE TRIGGER sources_speaker_affiliation_insert BEFORE INSERT ON sources_speaker"
    + _SQLITE_AFFILIATION,
    "CREATE TRIGGER sources_speaker_affiliation_update BEFORE UPDATE ON sources_speaker"
    + _SQLITE_AFFILIATION,
    """
    CREATE TRIGGER sources_speaker_members_keep_organization
    BEFORE UPDATE OF kind ON sources_speaker
    WHEN NEW.kind <> 'organization'
         AND EXISTS (SELECT 1 FROM sources_speaker s WHERE s.affiliation_id = NEW.id)
    BEGIN
        SELECT RAISE(ABORT, 'a speaker with members must stay an organization');
    END;
    """,
]

REVERSE = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS sources_speaker_affiliation_is_organization ON sources_speaker",
        "DROP FUNCTION IF EXISTS sources_speaker_affiliation_is_organization()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS sources_speaker_members_keep_organization",
        "DROP TRIGGER IF EXISTS sources_speaker_affiliation_update",
        "DROP TRIGGER IF EXISTS sources_speaker_affiliation_insert",
    ],
}

SPEAKER_AFFILIATIONS = register(
    TriggerSet(
        name="speaker_affiliations",
        tables=("sources_speaker",),
        create={"postgresql": POSTGRES, "sqlite": SQLITE},
        drop=REVERSE,
    )
)
