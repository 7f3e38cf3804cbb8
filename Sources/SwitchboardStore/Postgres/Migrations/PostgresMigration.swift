/// One step of the PostgreSQL schema, applied once, in its own transaction, in version order.
///
/// Applied versions are recorded in `schema_migrations`. A released migration is never edited:
/// a change to the schema is a new migration appended to ``all``.
struct PostgresMigration: Sendable {
    /// Position in ``all``; versions start at 1 and increase by one.
    let version: Int
    /// A short description, recorded beside the version.
    let name: String
    /// The statements, one per string (bound-parameter queries cannot hold two).
    let statements: [String]
}
