import { checkEveryPage } from "./support/accessibility.ts";

checkEveryPage(false);
