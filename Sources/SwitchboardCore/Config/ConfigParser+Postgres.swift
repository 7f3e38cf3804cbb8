extension ConfigParser {
    /// `storage.postgres: { url: postgres://..., pool: 20 }`. Problems name the URL as written in the
    /// file (a `${VAR}` stays a reference), so a password never reaches the output.
    static func readPostgres(_ node: ConfigNode) -> PostgresSettings? {
        guard let entries = node.mapping(allowedKeys: ["url", "pool"]) else { return nil }
        if node.isNull {
            node.report("'storage.postgres' needs 'url', such as { url: \"${DATABASE_URL}\" }")
            return nil
        }
        var pool = 20
        var poolIsValid = true
        if let poolNode = entries["pool"] {
            if let value = poolNode.integer(in: 1...200) { pool = value } else { poolIsValid = false }
        }
        guard let urlNode = required(entries, "url", in: node), let url = urlNode.string() else { return nil }
        guard !url.value.isEmpty else {
            urlNode.report("'storage.postgres.url' is empty\(url.written.contains("${") ? " (after expanding \(url.written))" : ""); give a URL such as postgres://switchboard@db.example.com:5432/switchboard")
            return nil
        }
        switch PostgresSettings.parse(url: url.value, pool: pool) {
        case .success(let settings):
            return poolIsValid ? settings : nil
        case .failure(let problem):
            let shown = url.written.contains("${") ? "'storage.postgres.url' (\(url.written))" : "'storage.postgres.url'"
            urlNode.report("\(shown) \(problem); write postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, or postgres://USER@/DATABASE?host=/SOCKET/DIRECTORY for a Unix-domain socket")
            return nil
        }
    }
}
