import { deploySearchService } from "./program";

export = deploySearchService;
