// Entry point for `pulumi up`: the engine calls the exported function and exports what it returns.
import { deployPlatform } from "./stacks/platform";

export = deployPlatform;
