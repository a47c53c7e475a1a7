import heapscope.cli.Main;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Run by scripts/dist.sh with the app jar and picocli-codegen on the class path: writes the bash completion
 * script and one AsciiDoc man page per command (heapscope.adoc, heapscope-analyze.adoc, ...) into OUTDIR, from the
 * same command model the app parses its arguments with, so they cannot drift from the options.
 */
public final class Docs {
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        CommandLine commands = Main.commandLine(); // no arguments: every command
        Files.createDirectories(out.resolve("man"));
        Files.writeString(out.resolve("heapscope.bash"), AutoComplete.bash("heapscope", commands), StandardCharsets.UTF_8);
        int status = ManPageGenerator.generateManPage(out.resolve("man").toFile(), (File) null, new boolean[0], true,
                commands.getCommandSpec());
        if (status != 0) {
            System.exit(status);
        }
    }
}
