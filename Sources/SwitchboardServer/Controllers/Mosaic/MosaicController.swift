import Hummingbird
import SwitchboardCore
import SwitchboardJSON
import SwitchboardOTP

/// The Mosaic-compatible OTP login API (`reference/mosaic-api.md`): an app written against
/// Mosaic's backend API works against these routes by changing only its base URL.
struct MosaicController<Context: RemoteAddressRequestContext> {
    let login: LoginService
    let throttle: CredentialThrottle

    /// Mounts the token and discovery routes, and under `/cis/v1` the routes that need a client
    /// token, which receive its client on their context.
    func addRoutes(to router: Hummingbird.Router<Context>) where Context: ClientTokenRequestContext {
        MosaicTokenController(login: login, throttle: throttle).addRoutes(to: router)
        let api = router.group("/cis/v1")
            .add(middleware: ClientTokenMiddleware(login: login))
            .group(context: MosaicClientRequestContext<Context>.self)
        MosaicUsersController(login: login).addRoutes(to: api)
        MosaicOTPController(login: login).addRoutes(to: api)
        MosaicSessionsController(login: login).addRoutes(to: api)
    }
}
