/**
 * coffee-shop's identity: the Cognito user pool of the customers (e-mail sign-in, self sign-up, strong
 * passwords, TOTP MFA, threat protection from config) and the web app's public client (SRP and refresh
 * only).
 */
import { UserPool } from "../../infra/identity/user-pool";
import { physicalName } from "../../infra/shared/naming";
import { CoffeeShopStep } from "./settings";

/** The customers' user pool (`<name>-users`) with its `web` client. */
export function identityTier(step: CoffeeShopStep): UserPool {
    const { config, settings: s, tags, scope, name, child } = step;
    return new UserPool(
        `${name}-users`,
        {
            poolName: physicalName(scope, "customers", 128),
            signInWith: "email",
            selfSignUp: true,
            passwordPolicy: { minimumLength: s.cognito.passwordMinimumLength },
            mfa: s.cognito.mfa,
            advancedSecurity: s.cognito.advancedSecurity,
            clients: {
                web: {
                    authFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                    tokenValidityMinutes: 60,
                    refreshTokenValidityDays: 30,
                },
            },
            protect: config.profile.protect,
            tags,
        },
        child,
    );
}
