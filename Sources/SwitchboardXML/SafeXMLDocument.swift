internal import CLibXML2
internal import Synchronization

/// A parsed XML document from an untrusted source, queried with XPath.
///
/// Parsing is namespace-aware and refuses, before or while reading, anything that could make libxml2 read
/// files, touch the network or expand entities: input over `XMLLimits.maxBytes` is refused unread, and a
/// document with any DOCTYPE is refused as soon as the DOCTYPE name is read, before its internal subset.
/// The parser runs with `XML_PARSE_NONET` and without `XML_PARSE_NOENT`, `XML_PARSE_DTDLOAD` or
/// `XML_PARSE_HUGE`.
///
/// The value is `Sendable`. libxml2 is not thread-safe per document, so the tree stays inside a `Mutex`
/// and every query copies its results into Swift strings while holding it; queries on one document run
/// one at a time, queries on different documents run in parallel.
package struct SafeXMLDocument: Sendable {
    private let storage: Storage

    /// Parses untrusted XML bytes.
    /// - Parameters:
    ///   - bytes: The document, in the encoding its declaration names (UTF-8 without one).
    ///   - limits: The limits to enforce.
    /// - Throws: `XMLError.empty`, `.tooLarge`, `.forbiddenDTD`, `.malformed` or `.outOfMemory`.
    package init(parsing bytes: some Collection<UInt8>, limits: XMLLimits = XMLLimits()) throws(XMLError) {
        // `count` first: the limit is checked before anything is copied or parsed.
        let byteCount = bytes.count
        guard byteCount > 0 else { throw .empty }
        guard byteCount <= limits.maxBytes else { throw .tooLarge(byteCount: byteCount, limit: limits.maxBytes) }
        let parsed =
            bytes.withContiguousStorageIfAvailable(Self.parse)
            ?? Array(bytes).withUnsafeBufferPointer(Self.parse)
        // The tree is new and nothing else references it; region analysis cannot see through the C call.
        nonisolated(unsafe) let document = try parsed.get()
        storage = Storage(document: document)
    }

    /// Parses untrusted XML text; see `init(parsing:limits:)` for bytes.
    /// - Parameters:
    ///   - text: The document. Its UTF-8 bytes are parsed, so an encoding declaration must say UTF-8.
    ///   - limits: The limits to enforce; `maxBytes` counts UTF-8 bytes.
    /// - Throws: `XMLError.empty`, `.tooLarge`, `.forbiddenDTD`, `.malformed` or `.outOfMemory`.
    package init(parsing text: String, limits: XMLLimits = XMLLimits()) throws(XMLError) {
        try self.init(parsing: text.utf8, limits: limits)
    }

    /// Runs `body` on the libxml2 document, confined by the lock. Nothing from libxml2 may escape `body`.
    func withDocument<Value: Sendable>(
        _ body: (xmlDocPtr) throws(XMLError) -> Value
    ) throws(XMLError) -> Value {
        try storage.document.withLock { (document) throws(XMLError) -> Value in try body(document) }
    }
}

extension SafeXMLDocument {
    /// Owns the libxml2 tree and frees it with the last copy of the document.
    private final class Storage: Sendable {
        let document: Mutex<xmlDocPtr>

        init(document: sending xmlDocPtr) {
            self.document = Mutex(document)
        }

        deinit {
            document.withLock { xmlFreeDoc($0) }
        }
    }

    private static let parseOptions = Int32(
        bitPattern: XML_PARSE_NONET.rawValue  // never fetch anything over the network
            | XML_PARSE_NOCDATA.rawValue  // CDATA becomes plain text, so text() sees one node
    )

    /// What the SAX callbacks learn during one parse; reached through the parser context's `_private`.
    private final class ParseState {
        var sawDTD = false
        /// libxml2 keeps only the last error, which is often a consequence ("premature end of data");
        /// the first one says what went wrong.
        var firstError: (line: Int, message: String)?

        /// The state of the parse whose context is `ctx`; the default SAX handlers get the context as `ctx`.
        static func of(_ ctx: UnsafeMutableRawPointer?) -> ParseState? {
            guard let raw = ctx?.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return nil }
            return Unmanaged<ParseState>.fromOpaque(raw).takeUnretainedValue()
        }
    }

    private static func parse(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<xmlDocPtr, XMLError> {
        LibXML2.initialize()
        guard let context = xmlNewParserCtxt() else { return .failure(.outOfMemory) }
        defer { xmlFreeParserCtxt(context) }
        let state = ParseState()
        context.pointee._private = Unmanaged.passUnretained(state).toOpaque()

        // libxml2 reports a DOCTYPE to `internalSubset` right after its name and external ID, before reading
        // `[ ... ]`, so stopping there means no entity, parameter entity or external subset is ever parsed.
        context.pointee.sax.pointee.internalSubset = { ctx, _, _, _ in
            ParseState.of(ctx)?.sawDTD = true
            xmlStopParser(ctx?.assumingMemoryBound(to: xmlParserCtxt.self))
        }
        // A structured handler on this context replaces libxml2's default of printing to stderr.
        context.pointee.sax.pointee.serror = { ctx, error in
            guard let state = ParseState.of(ctx), state.firstError == nil, let error,
                error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue
            else { return }
            let message = XMLError.libxml2Message(error.pointee.message, fallback: "not well-formed")
            state.firstError = (Int(error.pointee.line), message)
        }

        let document = withExtendedLifetime(state) {
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), nil, nil, parseOptions)
            }
        }
        // A stopped parser may still hand back the partial document; never use it.
        if state.sawDTD {
            xmlFreeDoc(document)
            return .failure(.forbiddenDTD)
        }
        guard let document else {
            if let (line, message) = state.firstError {
                return .failure(.malformed(line: line, message: message))
            }
            let error = context.pointee.lastError
            let message = XMLError.libxml2Message(error.message, fallback: "not well-formed")
            return .failure(.malformed(line: Int(error.line), message: message))
        }
        return .success(document)
    }
}

/// libxml2's process-wide state.
enum LibXML2 {
    /// `xmlInitParser` is not safe to race in libxml2 2.9, so it runs once, under Swift's thread-safe
    /// lazy initialization of globals.
    private static let initialized: Void = xmlInitParser()

    static func initialize() {
        _ = initialized
    }
}
