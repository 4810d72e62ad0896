# install(SCRIPT): the configuration files beside the install prefix, decided at install time because the
# package is always /usr whatever prefix the build dir was configured with: /usr → /etc, an unpacked X/usr →
# X/etc, any other prefix P (/usr/local, /opt/inloop) → P/etc. core::siteFile() looks in the same places.
set(here ${CMAKE_CURRENT_LIST_DIR})
if(CMAKE_INSTALL_PREFIX MATCHES "/usr/?$")
  cmake_path(GET CMAKE_INSTALL_PREFIX PARENT_PATH sysroot)
else()
  set(sysroot "${CMAKE_INSTALL_PREFIX}")
endif()
# file(INSTALL) puts DESTDIR in front by itself. CPack stages with DESTDIR *and* a prefix already inside it:
# take it off again there.
string(LENGTH "$ENV{DESTDIR}" n)
if(n GREATER 0)
  string(FIND "${sysroot}" "$ENV{DESTDIR}" at)
  if(at EQUAL 0)
    string(SUBSTRING "${sysroot}" ${n} -1 sysroot)
  endif()
endif()
if(sysroot STREQUAL "")
  set(sysroot /)
endif()
cmake_path(APPEND sysroot etc OUTPUT_VARIABLE etc)
file(INSTALL DESTINATION "${etc}/inloop" TYPE FILE FILES "${here}/../assets/site.ini" "${here}/etc/network.env")
file(INSTALL DESTINATION "${etc}/pam.d" TYPE FILE FILES "${here}/pam.d/inloop")
