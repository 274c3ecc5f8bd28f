/**
 * Registry of the architectures this program can deploy. An architecture appears here once its module
 * exists; `platform:architectures` selects among them per stack.
 */
import { ArchitectureName } from "../infra/config/keys";
import { ArchitectureModule } from "./architecture";
import { coffeeShop } from "./coffee-shop";
import { mtlsApi } from "./mtls-api";
import { postech } from "./postech";
import { spotmusic } from "./spotmusic";
import { ticketing } from "./ticketing";

export const ARCHITECTURES: Readonly<Partial<Record<ArchitectureName, ArchitectureModule>>> = {
    ticketing,
    "coffee-shop": coffeeShop,
    spotmusic,
    postech,
    "mtls-api": mtlsApi,
};
