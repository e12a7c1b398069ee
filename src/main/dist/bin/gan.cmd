@echo off
rem gan launcher for Windows, as bin/gan is for Linux and macOS: finds Java, sets memory and thread defaults,
rem runs dev.gan.Main. Your own environment wins: JAVA_HOME, JAVA_OPTS, GAN_OPTS, OMP_NUM_THREADS,
rem OMP_WAIT_POLICY, OPENBLAS_NUM_THREADS, ND4J_SKIP_BLAS_THREADS (--threads N wins over OMP_NUM_THREADS).
setlocal DisableDelayedExpansion

rem The installation directory: this script's folder's parent (quoted everywhere: it may hold spaces).
set "GAN_HOME=%~dp0.."
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java.exe")
"%JAVA%" -version >nul 2>&1
if errorlevel 1 (
  echo gan: Java 17 or newer is needed: install it or set JAVA_HOME 1>&2
  exit /b 1
)

rem Threads: OpenMP's pool is sized when ND4J loads, so --threads N (or GAN_THREADS; by default every core) is
rem read here, before Java starts. cmd splits --threads=N at the "=", so both spellings arrive as two words.
set "threads=%GAN_THREADS%"
set "previous="
for %%a in (%*) do call :argument "%%~a"
if not defined threads set "threads=%NUMBER_OF_PROCESSORS%"
echo %threads%| findstr /r "^[1-9][0-9]*$" >nul || set "threads=%NUMBER_OF_PROCESSORS%"
if not defined OMP_NUM_THREADS set "OMP_NUM_THREADS=%threads%"
echo %OMP_NUM_THREADS%| findstr /r "^[1-9][0-9]*$" >nul || set "OMP_NUM_THREADS=%threads%"
rem OpenMP's threads wait passively and OpenBLAS keeps one thread: spinning threads of either took the cores
rem from the others (see bin/gan).
if not defined OMP_WAIT_POLICY set "OMP_WAIT_POLICY=passive"
if not defined ND4J_SKIP_BLAS_THREADS set "ND4J_SKIP_BLAS_THREADS=1"
if not defined OPENBLAS_NUM_THREADS set "OPENBLAS_NUM_THREADS=1"

rem Memory: data and weights live off-heap; a modest heap keeps the scheduled collections short. A heap sized in
rem JAVA_OPTS or GAN_OPTS is the user's alone (see bin/gan). Plans for other machines (gan experiment plan) name
rem this launcher by its path.
set "heap=-Xms256m -Xmx1g"
echo. %JAVA_OPTS% %GAN_OPTS% | findstr /c:"-Xmx" /c:"-Xms" /c:"-XX:MaxHeapSize=" /c:"-XX:InitialHeapSize=" /c:"-XX:MaxRAMPercentage=" >nul && set "heap="

rem The compiler per command, as bin/gan sets it (its comments say why): the short commands (sample, info, help,
rem version) start on the quick C1 compiler and a serial GC; eval compiles less. JAVA_OPTS come later and win.
set "jit="
for %%c in (sample info help --help -h --version -V) do if /i "%~1"=="%%c" set "jit=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
if "%~1"=="" set "jit=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
if /i "%~1"=="eval" set "jit=-XX:CompileThresholdScaling=3"
"%JAVA%" %heap% %jit% -Dorg.bytedeco.javacpp.maxbytes=3G -Dorg.bytedeco.javacpp.maxphysicalbytes=0 ^
  "-Dgan.launcher=%GAN_HOME%\bin\gan.cmd" %JAVA_OPTS% %GAN_OPTS% -cp "%GAN_HOME%\lib\*" dev.gan.Main %*
exit /b %ERRORLEVEL%

:argument
if "%previous%"=="--threads" (
  set "threads=%~1"
  set "OMP_NUM_THREADS=%~1"
)
set "previous=%~1"
exit /b 0
