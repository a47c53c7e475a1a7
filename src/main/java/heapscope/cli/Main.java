package heapscope.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: dispatches to the sub-commands. Commands parse arguments and call into the library; no logic here. */
@Command(name = "heapscope", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Finds, explains and proves the absence of heap leaks in ESP32 (ESP-IDF) firmware.",
        subcommands = {CommandLine.HelpCommand.class, SymbolizeCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"heapscope " + (v == null ? "dev" : v)};
        }
    }
}
