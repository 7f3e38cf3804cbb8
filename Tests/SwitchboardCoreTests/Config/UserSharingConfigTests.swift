import Testing
@testable import SwitchboardCore

/// `apps.ID.users.shared_with` and `apps.ID.resources`.
@Suite("User sharing and resources configuration")
struct UserSharingConfigTests {
    /// Three apps; `{a}`, `{b}` and `{c}` are each app's extra lines (lines 4, 8 and 12).
    static func yaml(a: String = "", b: String = "", c: String = "") -> String {
        """
        apps:
          a:
            name: A
            \(a.isEmpty ? "# nothing more" : a)
            message: "{otp}"
          b:
            name: B
            \(b.isEmpty ? "# nothing more" : b)
            message: "{otp}"
          c:
            name: C
            \(c.isEmpty ? "# nothing more" : c)
            message: "{otp}"
        providers: { default: { type: default } }
        routes: [{ name: everyone, providers: [default] }]
        """
    }

    @Test func isolationIsTheDefault() throws {
        let config = try parseConfig(Self.yaml())
        #expect(config.app("a")?.usersSharedWith == [])
        #expect(config.app("a")?.userScope == UserScope(app: "a"))
        #expect(config.app("a")?.resources == [])
    }

    @Test func sharingDeclaredByBothAppsIsRead() throws {
        let config = try parseConfig(Self.yaml(a: "users: { shared_with: [b] }", b: "users: { shared_with: [a] }"))
        #expect(config.app("a")?.userScope.owners == ["a", "b"])
        #expect(config.app("b")?.userScope.owners == ["b", "a"])
        #expect(config.app("c")?.userScope.owners == ["c"])
    }

    @Test func aWholeGroupIsRead() throws {
        let config = try parseConfig(
            Self.yaml(a: "users: { shared_with: [b, c] }", b: "users: { shared_with: [a, c] }", c: "users: { shared_with: [b, a] }")
        )
        #expect(Set(config.app("c")?.userScope.owners ?? []) == ["a", "b", "c"])
    }

    @Test func sharingDeclaredByOneSideOnly() {
        expectOne(Self.yaml(a: "users: { shared_with: [b] }"), line: 4, column: 28, contains: ["'b' does not share its users with 'a'", "declared by both apps", "apps.b.users.shared_with"])
    }

    @Test func unknownApp() {
        expectOne(Self.yaml(a: "users: { shared_with: [bb] }"), line: 4, column: 28, contains: ["app \"bb\", which is not defined", "did you mean 'b'"])
    }

    @Test func selfReference() {
        expectOne(Self.yaml(a: "users: { shared_with: [a] }"), line: 4, column: 28, contains: ["lists the app itself"])
    }

    @Test func listedTwice() {
        let problems = configProblems(Self.yaml(a: "users: { shared_with: [b, b] }", b: "users: { shared_with: [a] }"))
        #expect(problems.map(\.description) == ["test.yaml:4:31: app 'b' is listed twice in 'apps.a.users.shared_with'"])
    }

    @Test func anIncompleteGroup() {
        let problems = configProblems(Self.yaml(a: "users: { shared_with: [b] }", b: "users: { shared_with: [a, c] }", c: "users: { shared_with: [b] }"))
        #expect(problems.count == 2, "\(problems)")
        #expect(problems.first?.line == 4 && problems.first?.message.contains("add 'c' to 'apps.a.users.shared_with'") == true, "\(problems)")
        #expect(problems.last?.line == 12 && problems.last?.message.contains("add 'a' to 'apps.c.users.shared_with'") == true, "\(problems)")
    }

    @Test func unknownKeyInUsers() {
        expectOne(Self.yaml(a: "users: { share_with: [b] }"), line: 4, column: 14, contains: ["unknown key 'share_with'", "did you mean 'shared_with'"])
    }

    @Test func resourcesAreAbsoluteURIs() throws {
        let config = try parseConfig(Self.yaml(a: "resources: [https://api.example.com, \"urn:acme:api\"]"))
        #expect(config.app("a")?.resources == ["https://api.example.com", "urn:acme:api"])
        expectOne(Self.yaml(a: "resources: [evil]"), line: 4, column: 17, contains: ["absolute URI"])
        expectOne(Self.yaml(a: "resources: [\"https://api.example.com/#x\"]"), line: 4, column: 17, contains: ["#fragment"])
    }
}
