import { checkEveryPage } from "./support/accessibility.ts";

checkEveryPage(true);
