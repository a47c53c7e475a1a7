@echo off
rem heapscope for Windows: runs heapscope-@VERSION@.jar beside this file with the JDK (21 or newer) in JAVA_HOME,
rem or the java on PATH. The run step is the shell launcher's: C1 only for symbolize, and a class-data archive
rem the JVM writes on first use (AppCDS, under %LOCALAPPDATA%\heapscope) and maps on every later start.
setlocal
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
set "TIER="
if "%~1"=="symbolize" set "TIER=-XX:TieredStopAtLevel=1"
set "CACHE="
if defined LOCALAPPDATA (
  if not exist "%LOCALAPPDATA%\heapscope" mkdir "%LOCALAPPDATA%\heapscope" 2>nul
  if exist "%LOCALAPPDATA%\heapscope" set "CACHE=-XX:SharedArchiveFile=%LOCALAPPDATA%\heapscope\heapscope-@VERSION@.jsa -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off"
)
"%JAVA%" %TIER% %CACHE% -jar "%~dp0heapscope-@VERSION@.jar" %*
exit /b %ERRORLEVEL%
