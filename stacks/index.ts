/**
 * Registry of the architectures this program deploys, one module per name of `ARCHITECTURE_NAMES`;
 * `platform:architectures` selects among them per stack.
 */
import { ArchitectureName } from "../infra/config/keys";
import { ArchitectureModule } from "./architecture";
import { coffeeShop } from "./coffee-shop";
import { mtlsApi } from "./mtls-api";
import { postech } from "./postech";
import { spotmusic } from "./spotmusic";
import { ticketing } from "./ticketing";

export const ARCHITECTURES: Readonly<Record<ArchitectureName, ArchitectureModule>> = {
    ticketing,
    "coffee-shop": coffeeShop,
    spotmusic,
    postech,
    "mtls-api": mtlsApi,
};
